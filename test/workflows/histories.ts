import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type * as TemporalProto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';

// Workflow histories as Temporal's JSON history format (what `temporal workflow show --output json`
// and the Web UI download write), for the replay fixtures.
//
// Why not historyToJSON/historyFromJSON of @temporalio/common/lib/proto-utils: in this install
// every @temporalio package has its own nested copy of protobufjs 8 (the top-level one is v7, for
// @grpc/proto-loader), and those helpers pair common's protojson with proto's message types, which
// protojson rejects ("type must be a Type"). Worker.runReplayHistories calls historyFromJSON for a
// history whose eventId is a string, so JSON fixtures are parsed here, with the protojson of the
// protobufjs copy that @temporalio/proto itself uses, and handed over as History messages.

export type History = TemporalProto.temporal.api.history.v1.IHistory;

interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options?: { ignoreUnknownFields?: boolean }): unknown;
}

// The module itself, not an import wrapper: transpilers copy its namespaces differently.
const proto = createRequire(__filename)('@temporalio/proto') as typeof TemporalProto;
const protojson = createRequire(require.resolve('@temporalio/proto'))(
  require.resolve('protobufjs/ext/protojson', { paths: [dirname(require.resolve('@temporalio/proto'))] }),
) as ProtoJson;
interface MessageType {
  fromObject(object: unknown): unknown;
}

const root = patchProtobufRoot(proto) as unknown as { lookupType(name: string): MessageType };
const historyType = root.lookupType('temporal.api.history.v1.History');

/** A history as pretty-printed proto3 JSON (event ids as strings, enums by name, payloads base64). */
export function historyToJSON(history: History): string {
  return JSON.stringify(protojson.toJson(historyType, historyType.fromObject(history)), null, 2);
}

/** A history message from its proto3 JSON; fields a newer server added are ignored. */
export function historyFromJSON(json: unknown): History {
  const history = protojson.fromJson(historyType, json, { ignoreUnknownFields: true }) as History | null;
  if (!history?.events?.length) throw new TypeError('not a workflow history: it has no events');
  return history;
}
