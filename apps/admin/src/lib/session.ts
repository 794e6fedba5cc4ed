// The admin key lives in sessionStorage: it survives reloads of this tab and is gone when the tab closes.
const STORAGE_KEY = "intrograph.adminKey";

export function storedAdminKey(): string | null {
  return sessionStorage.getItem(STORAGE_KEY);
}

export function storeAdminKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key);
}

export function forgetAdminKey(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
