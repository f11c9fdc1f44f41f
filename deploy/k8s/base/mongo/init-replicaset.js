// Run by the mongo-init Job (mongosh, connected to mongo-0 as root).
// Idempotent: initiates the replica set rs0 from PQ_MONGODB_HOSTS, adds members
// missing from its config (scaling 1 -> 3), waits for a primary, then creates
// or updates the application user (a password rotation re-runs this).
const hosts = process.env.PQ_MONGODB_HOSTS.split(",").map((h) => h.trim()).filter(Boolean);

let initiated = true;
try {
  rs.status();
} catch (e) {
  if (e.codeName !== "NotYetInitialized") throw e;
  initiated = false;
}

if (!initiated) {
  // mongo-0 prefers to be primary so that this script can write right away.
  rs.initiate({
    _id: "rs0",
    members: hosts.map((host, i) => ({ _id: i, host: host, priority: i === 0 ? 2 : 1 })),
  });
  print(`initiated rs0 with ${hosts.join(", ")}`);
} else {
  const known = rs.conf().members.map((m) => m.host);
  for (const host of hosts.filter((h) => !known.includes(h))) {
    rs.add(host);
    print(`added ${host}`);
  }
}

const deadline = Date.now() + 120 * 1000;
while (!db.adminCommand({ hello: 1 }).isWritablePrimary) {
  if (Date.now() > deadline) throw new Error("no writable primary after 120 s");
  sleep(1000);
}

const app = db.getSiblingDB("pocketquant");
const password = process.env.PQ_MONGODB_PASSWORD;
// One database per service (each owns its outbox, inbox and state).
const roles = ["pocketquant", "pq_gateway", "pq_query", "pq_ingest_history", "pq_ingest_stream", "pq_bar_builder"]
  .map((name) => ({ role: "readWrite", db: name }));
if (app.getUser("pocketquant")) {
  app.updateUser("pocketquant", { pwd: password, roles: roles });
  print("updated user pocketquant");
} else {
  app.createUser({ user: "pocketquant", pwd: password, roles: roles });
  print("created user pocketquant");
}
