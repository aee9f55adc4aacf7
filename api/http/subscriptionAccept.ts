/**
 * A subscription is answered as a stream of server-sent events (or `multipart/mixed`), so a
 * request for one must accept a stream; any other is refused at once with HTTP 406 and one line
 * saying what to send.
 *
 * Why: without `Accept: text/event-stream` (no Accept, `*\/*`, curl's default) yoga picks its
 * plain JSON answer for the subscription's endless result, which never completes — the client
 * got nothing, not even headers.
 */
import type { Plugin } from "graphql-yoga";
import { ErrorCode } from "../errors.js";
import { refusedWithStatus } from "./errorHandling.js";
import { gql } from "./graphqlRealm.js";

const STREAMS = /text\/event-stream|multipart\/mixed/i;

export const SUBSCRIPTION_NEEDS_STREAM =
  "a subscription is a stream of server-sent events: send it with `Accept: text/event-stream`";

export function subscriptionAcceptPlugin(): Plugin {
  return {
    onSubscribe({ args, setResultAndStopExecution }) {
      const request = (args.contextValue as { request?: Request }).request;
      if (!request || STREAMS.test(request.headers.get("accept") ?? "")) return;
      setResultAndStopExecution({
        errors: [
          new gql.GraphQLError(SUBSCRIPTION_NEEDS_STREAM, {
            extensions: { code: ErrorCode.BAD_REQUEST, http: refusedWithStatus(406) },
          }),
        ],
      });
    },
  };
}
