// A row of tabs, each a URL (usually a ?status= filter), so reloads and shared links keep the chosen tab.
import { useRouter } from "../lib/router.tsx";

export function Tabs({
  tabs,
  current,
}: {
  tabs: readonly { to: string; title: string; value: string }[];
  current: string;
}) {
  const { navigate } = useRouter();
  return (
    <div className="tabs" role="tablist">
      {tabs.map((tab) => (
        <button
          key={tab.value}
          type="button"
          role="tab"
          aria-selected={current === tab.value}
          className={current === tab.value ? "tab active" : "tab"}
          onClick={() => navigate(tab.to)}
        >
          {tab.title}
        </button>
      ))}
    </div>
  );
}
