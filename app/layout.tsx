import type { Metadata } from "next";
import "./globals.css";
import { BODY_CLASS } from "./_ui/document";

export const metadata: Metadata = {
  title: { default: "Slotline", template: "%s · Slotline" },
  description: "Online booking for clinics: practitioners, treatments, clients and appointments.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className={BODY_CLASS}>{children}</body>
    </html>
  );
}
