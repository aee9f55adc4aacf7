/** The baseline serves nothing but Ponder's own endpoints (`/ready`, `/status`). */
import { Hono } from "hono";

export default new Hono();
