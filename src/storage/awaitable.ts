/** A value now (SQLite, in memory) or later (a server database): store interfaces return this so that both backends implement one contract. */
export type Awaitable<T> = T | Promise<T>;
