import "../../../scripts/load-env";

// Prints what the scripts would see after loading .env files from the working folder.
process.stdout.write(
  JSON.stringify({
    fromFile: process.env.SLOTLINE_PROBE_FILE,
    fromShell: process.env.SLOTLINE_PROBE_SHELL,
    local: process.env.SLOTLINE_PROBE_LOCAL,
  }),
);
