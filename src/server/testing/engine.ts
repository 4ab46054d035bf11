export function testEngine(): 'pglite' | 'postgres' {
  return process.env.XG_TEST_DB === 'postgres' ? 'postgres' : 'pglite';
}

/** Where the PostgreSQL test run creates its databases (a superuser or CREATEDB role). */
export function adminUrl(): string {
  return process.env.XG_TEST_DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
}
