import { TestDatabases } from '@backstage/backend-test-utils';

/**
 * The databases a store's tests run on: SQLite always; PostgreSQL where a server is configured through
 * BACKSTAGE_TEST_DATABASE_POSTGRES<N>_CONNECTION_STRING (CI starts one); never Docker, which this project's
 * machines do not have. Call it at a test file's top level: it registers the file's clean-up.
 */
export function storeTestDatabases(): TestDatabases {
  return TestDatabases.create({
    ids: [
      'SQLITE_3',
      'POSTGRES_18',
      'POSTGRES_17',
      'POSTGRES_16',
      'POSTGRES_15',
    ],
    disableDocker: true,
  });
}
