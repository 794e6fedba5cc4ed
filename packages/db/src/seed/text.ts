// Text shaping for generated names, domains, handles and headlines.

export function fill(pattern: string, values: Record<string, string>): string {
  return pattern.replace(/\{(\w+)\}/g, (match, key: string) => values[key] ?? match);
}

export function stripAccents(text: string): string {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
}

export function slug(text: string, separator = ""): string {
  return stripAccents(text)
    .toLowerCase()
    .replace(/&/g, " and ")
    .split(/[^a-z0-9]+/)
    .filter((part) => part.length > 0)
    .join(separator);
}

export function cityName(city: string): string {
  return city.split(",")[0] ?? city;
}

export function titleCase(topic: string): string {
  return topic.length <= 3
    ? topic.toUpperCase()
    : topic.replace(/(^|\s)([a-z])/g, (_, space: string, letter: string) => space + letter.toUpperCase());
}
