import { CenteredCard } from "@/app/_ui/status-page";

// Its server actions kick the job drain after responding (lib/jobs/kick.ts: KICK_MAX_DURATION_S).
export const maxDuration = 300;

export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return <CenteredCard>{children}</CenteredCard>;
}
