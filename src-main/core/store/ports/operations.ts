/** What the store itself is: for the logs, the about box, and tests that must know their stand-in. */
export interface StoreDescription {
  readonly dialect: 'sqlite' | 'mssql';
  /** The database server's own words for its version. */
  readonly version: string;
}

export interface OperationsStore {
  describeStore(): Promise<StoreDescription>;
  /** Bytes the data takes, for the "store near capacity" alarm. */
  storeSizeBytes(): Promise<number>;
}
