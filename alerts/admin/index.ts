/** The alert store by hand (see alertsAdmin.ts), as one namespace for the CLI. */
export * as alertsAdmin from "./alertsAdmin.js";
