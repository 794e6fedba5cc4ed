// Small word lists for the demo network: enough variety to look real, small enough to ship without a faker dependency.

export const FIRST_NAMES = [
  "Aaliyah", "Aaron", "Abigail", "Adaeze", "Adam", "Aditi", "Ahmed", "Aiko", "Alejandro", "Alex", "Alice", "Amara",
  "Amir", "Ana", "Andrea", "Andrei", "Anika", "Anna", "Antoine", "Arjun", "Astrid", "Ava", "Ben", "Bianca", "Camila",
  "Carlos", "Caroline", "Chen", "Chloe", "Chloé", "Daniel", "Daria", "David", "Diego", "Dmitri", "Elena", "Eli", "Elif",
  "Emeka", "Emily", "Emma", "Erik", "Fatima", "Felix", "Fernanda", "Finn", "Freya", "Gabriel", "Giulia", "Grace",
  "Hana", "Hannah", "Hassan", "Henrik", "Hiroshi", "Ibrahim", "Ines", "Ingrid", "Isaac", "Isabel", "Ivan", "Jack",
  "Jamal", "James", "Javier", "Jia", "Johan", "Jonas", "Jordan", "Julia", "Julian", "Kai", "Karim", "Katarzyna", "Kenji",
  "Kofi", "Laila", "Lars", "Laura", "Leah", "Lena", "Leo", "Liam", "Lina", "Lucas", "Lucia", "Luis", "Maya", "Marco",
  "Maria", "Mariam", "Mateo", "Matteo", "Mei", "Mia", "Michael", "Mohammed", "Nadia", "Naomi", "Nathan", "Nia", "Niklas",
  "Nina", "Noah", "Nora", "Olga", "Oliver", "Omar", "Oscar", "Paolo", "Pedro", "Priya", "Rafael", "Rahul", "Rania",
  "Ravi", "Rebecca", "Ricardo", "Rosa", "Ruth", "Samir", "Sana", "Sara", "Sebastian", "Seo-yeon", "Sofia", "Sophie",
  "Stefan", "Sunita", "Tariq", "Thomas", "Tomás", "Valentina", "Victor", "Wei", "Yara", "Yusuf", "Zanele", "Zoe",
] as const;

export const LAST_NAMES = [
  "Abara", "Adeyemi", "Ahmed", "Alvarez", "Andersen", "Bakker", "Banerjee", "Becker", "Bianchi", "Brown", "Campbell",
  "Castillo", "Chen", "Cohen", "Costa", "Dubois", "Dufour", "Eriksson", "Evans", "Fernandes", "Fischer", "Fontaine",
  "García", "Gonzalez", "Gupta", "Hansen", "Hashemi", "Hernandez", "Hoffmann", "Huang", "Ibrahim", "Ito", "Ivanova",
  "Jansen", "Jensen", "Johnson", "Kaplan", "Kato", "Kaur", "Khan", "Kim", "Kowalski", "Kumar", "Larsen", "Laurent",
  "Lee", "Li", "Lindqvist", "Lopez", "Martin", "Martins", "Mendes", "Meyer", "Miller", "Moreau", "Müller", "Murphy",
  "Nakamura", "Nguyen", "Novak", "Nowak", "Okafor", "Okonkwo", "Olsen", "Osei", "Park", "Patel", "Pereira", "Petrov",
  "Popescu", "Quinn", "Rahman", "Reyes", "Ricci", "Rivera", "Rossi", "Russo", "Sato", "Schmidt", "Schneider", "Shah",
  "Silva", "Singh", "Smith", "Sokolov", "Suzuki", "Tanaka", "Taylor", "Thompson", "Torres", "Van Dijk", "Vargas",
  "Wagner", "Walker", "Wang", "Weber", "Williams", "Wilson", "Wong", "Wu", "Yamamoto", "Yilmaz", "Zhang", "Zhou",
] as const;

/** Topics double as industries: organizations have one, people a few, and communities form around them. */
export const TOPICS = [
  "fintech", "climate tech", "AI infrastructure", "developer tools", "healthtech", "B2B SaaS", "marketplaces",
  "cybersecurity", "biotech", "robotics", "edtech", "logistics", "consumer apps", "data engineering", "go-to-market",
  "talent & hiring", "product design", "open source", "insurtech", "proptech", "mobility", "gaming", "e-commerce",
  "enterprise sales",
] as const;

export const CITIES = [
  "San Francisco, US", "New York, US", "Austin, US", "Boston, US", "Seattle, US", "Toronto, CA", "London, UK",
  "Berlin, DE", "Paris, FR", "Amsterdam, NL", "Stockholm, SE", "Copenhagen, DK", "Barcelona, ES", "Lisbon, PT",
  "Zurich, CH", "Warsaw, PL", "Tel Aviv, IL", "Dubai, AE", "Bangalore, IN", "Singapore, SG", "Tokyo, JP", "Seoul, KR",
  "Sydney, AU", "Lagos, NG", "Nairobi, KE", "São Paulo, BR", "Mexico City, MX",
] as const;

export const COMPANY_PREFIXES = [
  "Acorn", "Aether", "Alder", "Amber", "Apex", "Arbor", "Atlas", "Aurora", "Basalt", "Beacon", "Birch", "Blue Fern",
  "Bolt", "Brightline", "Cascade", "Cedar", "Cinder", "Clearwater", "Cobalt", "Comet", "Copper", "Coral", "Crescent",
  "Dawn", "Delta", "Ember", "Evergreen", "Falcon", "Fathom", "Fjord", "Flint", "Foundry", "Garnet", "Glacier", "Granite",
  "Halcyon", "Harbor", "Helix", "Horizon", "Indigo", "Iris", "Juniper", "Kestrel", "Keystone", "Lattice", "Linden",
  "Lodestar", "Lumina", "Maple", "Meridian", "Mosaic", "Nimbus", "Northstar", "Oak & Ash", "Onyx", "Orbit", "Parallel",
  "Pioneer", "Prism", "Quarry", "Quill", "Redwood", "Ridge", "Sable", "Saffron", "Sierra", "Signal", "Slate", "Solstice",
  "Sparrow", "Spruce", "Summit", "Tandem", "Tessera", "Thistle", "Tidal", "Topaz", "Trellis", "Tundra", "Vantage",
  "Vector", "Verdant", "Willow", "Zenith",
] as const;

/** Company suffixes per topic, so a fintech sounds like one. */
export const COMPANY_SUFFIXES: Record<(typeof TOPICS)[number], readonly string[]> = {
  fintech: ["Pay", "Ledger", "Finance", "Treasury", "Lend"],
  "climate tech": ["Carbon", "Energy", "Grid", "Climate", "Solar"],
  "AI infrastructure": ["AI", "Inference", "Labs", "Compute", "Models"],
  "developer tools": ["Dev", "Build", "Stack", "CI", "Code"],
  healthtech: ["Health", "Care", "Clinic", "Med", "Vitals"],
  "B2B SaaS": ["Cloud", "Suite", "Works", "HQ", "Software"],
  marketplaces: ["Market", "Exchange", "Bazaar", "Trade", "Hub"],
  cybersecurity: ["Security", "Shield", "Guard", "Sec", "Trust"],
  biotech: ["Bio", "Therapeutics", "Genomics", "Biosciences", "Cell"],
  robotics: ["Robotics", "Automation", "Motion", "Machines", "Drives"],
  edtech: ["Learning", "Academy", "Edu", "Classroom", "Tutor"],
  logistics: ["Freight", "Logistics", "Fleet", "Route", "Cargo"],
  "consumer apps": ["App", "Social", "Studio", "Life", "Club"],
  "data engineering": ["Data", "Analytics", "Pipelines", "Warehouse", "Metrics"],
  "go-to-market": ["Growth", "Revenue", "Pipeline", "Outbound", "Signals"],
  "talent & hiring": ["Talent", "Hire", "Recruit", "Teams", "People"],
  "product design": ["Design", "Studio", "Pixel", "UX", "Canvas"],
  "open source": ["Source", "Commons", "Open", "Forge", "Kernel"],
  insurtech: ["Insure", "Cover", "Assurance", "Risk", "Policy"],
  proptech: ["Homes", "Property", "Estates", "Spaces", "Realty"],
  mobility: ["Mobility", "Motors", "Ride", "Transit", "EV"],
  gaming: ["Games", "Play", "Interactive", "Arcade", "Quest"],
  "e-commerce": ["Commerce", "Cart", "Shop", "Retail", "Checkout"],
  "enterprise sales": ["Deals", "Accounts", "Close", "Quota", "CRM"],
};

export const INVESTOR_SUFFIXES = ["Ventures", "Capital", "Partners", "Growth", "Seed Fund", "Venture Partners"] as const;
export const VENDOR_SUFFIXES = ["Consulting", "Legal", "Advisory", "Recruiting", "Agency", "Accounting"] as const;
export const COMMUNITY_PATTERNS = [
  "{city} {topic} Meetup", "{topic} Founders Circle", "{city} Operators Guild", "{topic} Builders Collective",
  "Women in {topic}", "{city} Angels Network",
] as const;

export const DECISION_MAKER_TITLES = {
  COMPANY: ["CEO", "CTO", "VP Sales", "VP Engineering", "Head of Partnerships", "COO", "CFO", "VP Marketing"],
  INVESTOR: ["General Partner", "Managing Partner", "Partner"],
  VENDOR: ["Managing Director", "Founder", "Principal"],
  PARTNER_PLATFORM: ["CEO", "Head of Partnerships", "VP Product"],
  COMMUNITY: ["Organizer", "Founder"],
  OTHER: ["Director"],
} as const;

export const STAFF_TITLES = {
  COMPANY: [
    "Software Engineer", "Senior Software Engineer", "Product Manager", "Account Executive", "Designer",
    "Data Scientist", "Customer Success Manager", "Engineering Manager", "Marketing Manager", "Recruiter",
    "Solutions Engineer", "Operations Lead", "Sales Development Rep", "Staff Engineer",
  ],
  INVESTOR: ["Principal", "Associate", "Analyst", "Venture Partner", "Platform Lead"],
  VENDOR: ["Consultant", "Senior Consultant", "Associate", "Account Manager"],
  PARTNER_PLATFORM: ["Partner Manager", "Software Engineer", "Product Manager", "Solutions Architect"],
  COMMUNITY: ["Member", "Volunteer", "Mentor", "Member"],
  OTHER: ["Member"],
} as const;

export const HEADLINE_PATTERNS = [
  "{title} at {org}", "{title} at {org} · {topic}", "{title}, {org} — building in {topic}",
  "{title} @ {org} | {topic} | {topic2}", "Helping {topic} teams grow · {title} at {org}",
] as const;

export const CONNECTOR_HEADLINES = [
  "Angel investor · connector · {topic} and {topic2}", "I introduce founders to the people who can help them",
  "Operator turned advisor · {topic} · always happy to make an intro", "Community builder · {topic} · {city}",
] as const;

export const INFLUENCER_PROFILES = [
  { name: "Blake Sterling", headline: "Top 1% Voice · Hustle & Mindset · 2M+ followers", platform: "INSTAGRAM" },
  { name: "Kayla Monroe", headline: "Growth hacker · Viral threads daily · DM for collabs", platform: "X" },
  { name: "Tyler Vance", headline: "Crypto & AI alpha · 1.5M community · Not financial advice", platform: "TIKTOK" },
  { name: "Jade Fontaine", headline: "Lifestyle & business · Brand partnerships open", platform: "INSTAGRAM" },
  { name: "Marcus Reign", headline: "Serial founder (ask me how) · Keynote speaker · 3M reach", platform: "YOUTUBE" },
  { name: "Sienna Blaze", headline: "LinkedIn Top Creator · Personal branding coach", platform: "LINKEDIN" },
] as const;

export const DISPUTE_REASONS = [
  "Met once at a conference; does not know this person.",
  "Relationship reported by an import that matched the wrong profile.",
  "Former colleagues, but never worked together directly.",
  "The other person says they have never been in touch.",
] as const;

export const INTERACTION_NOTES = {
  MEETING: ["Coffee to catch up", "Quarterly check-in", "Lunch near the office", "Board prep meeting"],
  CALL: ["Intro call", "Follow-up call on the proposal", "Advice call", "Reference call"],
  MESSAGE: ["Shared an article", "Congratulated on the new role", "Quick question about hiring"],
  EMAIL: ["Sent the deck", "Follow-up after the event", "Shared a customer reference"],
  EVENT: ["Met at a meetup", "Panel together", "Conference dinner"],
  COLLABORATION: ["Worked on a pilot together", "Co-wrote a report", "Joint customer project"],
  OTHER: ["Other contact"],
} as const;
