// First-start initialisation of the incidents database, run by mongosh from the official mongo
// image's /docker-entrypoint-initdb.d/ (only when the data volume is empty).
//
// The backend ensures the same indexes and the change counter at start-up, so this script is not
// needed for the service to work; it exists so that the collection carries a $jsonSchema validator
// (defence in depth: a write that bypasses the API's validation is still refused) and so that the
// indexes exist before the first request. The validator, the index list and the change counter's
// place live in JSON files next to this script; a backend test compares them with the backend's.
//
// Environment (read from the container):
//   MONGO_INITDB_DATABASE  database to initialise (default "incidents")
//   SEED_DEMO_DATA         "true" inserts a handful of demo incidents
//   RETENTION_DAYS         a number: the TTL index that deletes incidents resolved that many days ago
//                          (the backend creates, changes or drops the same index at start-up)

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

// mongosh sets __dirname for script files; the fallback is where the image mounts this folder.
const initDir = typeof __dirname === 'string' && __dirname !== ''
  ? __dirname
  : '/docker-entrypoint-initdb.d';

function readJson(name) {
  return JSON.parse(fs.readFileSync(path.join(initDir, name), 'utf8'));
}

const dbName = process.env.MONGO_INITDB_DATABASE || 'incidents';
const collectionName = 'incidents';
const validator = readJson('validator.json');
const indexes = readJson('indexes.json');
const sequence = readJson('sequence.json');
const target = db.getSiblingDB(dbName);

// Also usable by hand against an existing database: an existing collection gets the validator
// through collMod instead of failing on "collection already exists".
const validation = { validator: validator, validationLevel: 'strict', validationAction: 'error' };
if (target.getCollectionNames().includes(collectionName)) {
  // Incidents stored before changes recorded their actor were all made without a token.
  const backfilled = target.getCollection(collectionName).updateMany(
    { createdBy: { $exists: false } },
    { $set: { createdBy: 'anonymous', updatedBy: 'anonymous' } });
  target.runCommand(Object.assign({ collMod: collectionName }, validation));
  console.log(`${dbName}.${collectionName}: validator updated (${backfilled.modifiedCount} incidents given the actor "anonymous")`);
} else {
  target.createCollection(collectionName, validation);
  console.log(`${dbName}.${collectionName}: created with validator`);
}

const collection = target.getCollection(collectionName);
const retentionDays = parseInt(process.env.RETENTION_DAYS || '', 10);
const created = [];
for (const index of indexes) {
  const options = { name: index.name };
  if (index.unique) options.unique = true;
  if (index.sparse) options.sparse = true;
  if (index.expireAfterDays) {
    // Only with retention configured; without it, incidents are kept.
    if (!(retentionDays > 0)) continue;
    options.expireAfterSeconds = retentionDays * 24 * 60 * 60;
  }
  collection.createIndex(index.key, options);
  created.push(index.name);
}
console.log(`${dbName}.${collectionName}: indexes ${created.join(', ')}`);

// The change sequence: every write that changes an incident takes the next number of this counter
// and stores it as the incident's seq. The epoch tells this database's cursors from any other's.
const counters = target.getCollection(sequence.collection);
counters.updateOne(
  { _id: sequence._id },
  { $setOnInsert: { epoch: crypto.randomUUID().replace(/-/g, '').slice(0, 16), seq: NumberLong(0) } },
  { upsert: true },
);

if ((process.env.SEED_DEMO_DATA || '').toLowerCase() === 'true') {
  const now = Date.now();
  const minutesAgo = (minutes) => new Date(now - minutes * 60 * 1000);
  const demo = [
    ['warehouse-madrid', 'Conveyor 3 jammed', 'Belt stopped at the sorter entrance.', 'high', 'open', 4],
    ['warehouse-madrid', 'Scanner offline at dock 2', '', 'medium', 'acknowledged', 35],
    ['warehouse-lyon', 'Temperature above threshold in cold room', 'Reading 9.5 C, limit 8 C.', 'high', 'open', 12],
    ['warehouse-lyon', 'Late pallet pickup', 'Carrier reported a 40 minute delay.', 'low', 'resolved', 180],
    ['general', 'Label printer low on ribbon', '', 'low', 'open', 60],
  ].map(([channel, title, message, severity, status, age], i) => {
    const createdAt = minutesAgo(age);
    // A status other than "open" means the incident changed once after creation.
    const changed = status !== 'open';
    const updatedAt = changed ? minutesAgo(age - 2) : createdAt;
    const history = [{ type: 'created', at: createdAt, actor: 'anonymous', status: 'open' }];
    if (changed) history.push({ type: 'status', at: updatedAt, actor: 'anonymous', to: status });
    const incident = {
      _id: crypto.randomUUID(),
      channel: channel,
      title: title,
      message: message,
      severity: severity,
      status: status,
      createdAt: createdAt,
      updatedAt: updatedAt,
      // mongosh numbers are doubles; the validator (and the backend) want int32.
      version: NumberInt(changed ? 2 : 1),
      createdBy: 'anonymous',
      updatedBy: 'anonymous',
      occurrences: NumberInt(1),
      seq: NumberLong(i + 1),
      history: history,
    };
    if (status === 'resolved') incident.resolvedAt = updatedAt;
    return incident;
  });
  collection.insertMany(demo);
  counters.updateOne({ _id: sequence._id }, { $max: { seq: NumberLong(demo.length) } });
  console.log(`${dbName}.${collectionName}: ${demo.length} demo incidents inserted`);
}
