/**
 * What a caller may run, decided inside yoga once the operation is known: the public tier
 * reads only public root fields (publicFields.ts), and every caller's analytics cost is charged
 * to its rate window (rateWindows.ts).
 *
 * Why a yoga plugin: the cost is the estimate the limits plugin computes before execution
 * (with the variables), so this plugin is listed after it and reads the figure it left on the
 * request's context rather than estimating again. The caller comes from the HTTP route
 * (accessMiddleware.ts via the server context); a yoga used without one (unit tests) is open.
 */
import type { DocumentNode } from "graphql";
import type { Plugin } from "graphql-yoga";
import { ErrorCode } from "../errors.js";
import { refusedWithStatus } from "../http/errorHandling.js";
import { gql } from "../http/graphqlRealm.js";
import type { ApiAccess } from "./apiAccess.js";
import type { Caller } from "./apiKeys.js";
import { privateRootFields } from "./publicFields.js";

/** Where the route leaves the caller in yoga's server context. */
export interface CallerSlot {
  perpwatch?: { caller?: Caller };
  api?: { cost?: number };
}

export function rateLimited(retryAfterS: number, message: string) {
  return new gql.GraphQLError(message, {
    extensions: {
      code: ErrorCode.RATE_LIMITED,
      retryAfter: retryAfterS,
      http: { ...refusedWithStatus(429), headers: { "Retry-After": String(retryAfterS) } },
    },
  });
}

export function accessPlugin(access: ApiAccess): Plugin {
  const check = (args: {
    document: DocumentNode;
    operationName?: string | null;
    contextValue?: unknown;
  }) => {
    const ctx = args.contextValue as CallerSlot | undefined;
    const caller = ctx?.perpwatch?.caller;
    if (!caller) return null;
    if (caller.reads === "public") {
      const denied = privateRootFields(args.document, args.operationName);
      if (denied.length > 0) {
        access.usage.count(caller.name, "forbidden");
        return new gql.GraphQLError(
          `${denied.join(", ")}: not public; send an API key (Authorization: Bearer …) to read it`,
          { extensions: { code: ErrorCode.FORBIDDEN, http: refusedWithStatus(403) } },
        );
      }
    }
    const cost = ctx?.api?.cost ?? 0;
    const refusal = access.windows.charge(caller.bucket, caller.limits, cost);
    if (!refusal) {
      access.usage.charge(caller.name, cost);
      return null;
    }
    access.usage.count(caller.name, "rate_limited");
    access.logger.warn({ key: caller.name, cost: ctx?.api?.cost }, "api key over its cost budget");
    return rateLimited(refusal.retryAfterS, refusal.message);
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const error = check(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = check(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}
