// Draws an intro-chain DAG: introductions (who introduced whom) flowing into the outcomes they led to, laid out left to
// right by dagre and rendered with React Flow; each introduction shows its connector's credit under the chosen model for
// the outcomes it led to.
import dagre from "@dagrejs/dagre";
import { Background, Controls, Handle, type Edge, type Node, type NodeProps, Position, ReactFlow } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useMemo } from "react";
import type { CreditModel } from "@intrograph/sdk";
import { date, money, percent } from "../lib/format.ts";

export const CREDIT_MODELS = [
  "SHAPLEY",
  "LINEAR",
  "FIRST_TOUCH",
  "LAST_TOUCH",
  "POSITION_BASED",
  "TIME_DECAY",
  "MARKOV",
] as CreditModel[];

export interface ChainIntroduction {
  id: string;
  occurredAt?: string | null;
  consented?: boolean | null;
  status?: string | null;
  connector?: { id: string; displayName?: string | null } | null;
  from?: { id: string; displayName?: string | null } | null;
  to?: { id: string; displayName?: string | null } | null;
  outcomeIds: string[];
}

export interface ChainOutcome {
  id: string;
  title?: string | null;
  value?: string | null;
  currency?: string | null;
}

export interface ConnectorCredit {
  amount: string | number;
  currency: string;
  share: number;
}

type IntroNodeData = { intro: ChainIntroduction; credit: ConnectorCredit | undefined; highlighted: boolean };
type OutcomeNodeData = { outcome: ChainOutcome };
type IntroNode = Node<IntroNodeData, "intro">;
type OutcomeNode = Node<OutcomeNodeData, "outcome">;

const INTRO_SIZE = { width: 230, height: 92 };
const OUTCOME_SIZE = { width: 210, height: 64 };

function IntroductionNode({ data }: NodeProps<IntroNode>) {
  const { intro, credit, highlighted } = data;
  return (
    <div
      className={`chain-node intro ${intro.consented ? "" : "unconsented"} ${highlighted ? "highlighted" : ""}`}
      data-testid="chain-intro"
    >
      <Handle type="target" position={Position.Left} />
      <div className="chain-connector">{intro.connector?.displayName ?? "?"}</div>
      <div className="small">
        introduced {intro.from?.displayName} → {intro.to?.displayName}
      </div>
      <div className="small muted">
        {date(intro.occurredAt)} {intro.consented ? "" : "· no consent"}
      </div>
      <div className="chain-credit" data-testid="chain-credit">
        {credit ? `${money(credit.amount, credit.currency)} · ${percent(credit.share, 1)}` : "no credit"}
      </div>
      <Handle type="source" position={Position.Right} />
    </div>
  );
}

function OutcomeNodeView({ data }: NodeProps<OutcomeNode>) {
  return (
    <div className="chain-node outcome" data-testid="chain-outcome">
      <Handle type="target" position={Position.Left} />
      <div className="chain-connector">{data.outcome.title}</div>
      <div className="small">
        {data.outcome.value && data.outcome.currency ? money(data.outcome.value, data.outcome.currency) : ""}
      </div>
    </div>
  );
}

const nodeTypes = { intro: IntroductionNode, outcome: OutcomeNodeView };

export function ChainGraph({
  introductions,
  links,
  outcomes,
  creditOf,
  highlightPersonId,
}: {
  introductions: ChainIntroduction[];
  links: { earlierId: string; laterId: string }[];
  outcomes: ChainOutcome[];
  /** The credit an introduction's node shows: its connector's, for the outcomes that introduction led to. */
  creditOf: (intro: ChainIntroduction) => ConnectorCredit | undefined;
  highlightPersonId?: string | undefined;
}) {
  const { nodes, edges } = useMemo(() => {
    const graph = new dagre.graphlib.Graph();
    graph.setGraph({ rankdir: "LR", nodesep: 24, ranksep: 60, marginx: 10, marginy: 10 });
    graph.setDefaultEdgeLabel(() => ({}));
    const introIds = new Set(introductions.map((intro) => intro.id));
    const outcomeIds = new Set(outcomes.map((outcome) => outcome.id));
    for (const intro of introductions) graph.setNode(intro.id, { ...INTRO_SIZE });
    for (const outcome of outcomes) graph.setNode(outcome.id, { ...OUTCOME_SIZE });
    const edgeList: Edge[] = [];
    for (const link of links) {
      if (!introIds.has(link.earlierId) || !introIds.has(link.laterId)) continue;
      graph.setEdge(link.earlierId, link.laterId);
      edgeList.push({ id: `${link.earlierId}>${link.laterId}`, source: link.earlierId, target: link.laterId });
    }
    for (const intro of introductions) {
      for (const outcomeId of intro.outcomeIds) {
        if (!outcomeIds.has(outcomeId)) continue;
        graph.setEdge(intro.id, outcomeId);
        edgeList.push({ id: `${intro.id}>${outcomeId}`, source: intro.id, target: outcomeId, animated: true });
      }
    }
    dagre.layout(graph);
    const place = (id: string, size: { width: number; height: number }) => {
      const point = graph.node(id);
      return { x: (point?.x ?? 0) - size.width / 2, y: (point?.y ?? 0) - size.height / 2 };
    };
    const nodeList: (IntroNode | OutcomeNode)[] = [
      ...introductions.map(
        (intro): IntroNode => ({
          id: intro.id,
          type: "intro",
          position: place(intro.id, INTRO_SIZE),
          data: {
            intro,
            credit: creditOf(intro),
            highlighted: highlightPersonId !== undefined && intro.connector?.id === highlightPersonId,
          },
          draggable: false,
        }),
      ),
      ...outcomes.map(
        (outcome): OutcomeNode => ({
          id: outcome.id,
          type: "outcome",
          position: place(outcome.id, OUTCOME_SIZE),
          data: { outcome },
          draggable: false,
        }),
      ),
    ];
    return { nodes: nodeList, edges: edgeList };
  }, [introductions, links, outcomes, creditOf, highlightPersonId]);

  return (
    <div className="chain-graph" data-testid="chain-graph">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        fitView
        minZoom={0.2}
        nodesConnectable={false}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={24} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
