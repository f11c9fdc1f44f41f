// compose.yaml's MongoDB healthcheck (mongosh): initiates the single-node
// replica set on first run, then reports healthy only once this node is a
// writable primary. Transactions (the outbox) need a replica set.
try {
  rs.status();
} catch (e) {
  if (e.codeName !== "NotYetInitialized") throw e;
  rs.initiate({ _id: "rs0", members: [{ _id: 0, host: "mongo:27017" }] });
}
if (!db.adminCommand({ hello: 1 }).isWritablePrimary) quit(1);
