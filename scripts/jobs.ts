import "./load-env";
import { main } from "@/lib/jobs/cli/main";

// `npm run jobs -- <command> [--json]`; see lib/jobs/cli/args.ts for the commands.
// Exit explicitly with main's code: a job handler's open handle must not keep the CLI alive.
process.exit(await main(process.argv.slice(2)));
