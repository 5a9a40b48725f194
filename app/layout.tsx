import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Slotline", template: "%s · Slotline" },
  description: "Online booking for clinics: practitioners, treatments, clients and appointments.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-stone-50 font-sans text-stone-900 antialiased">{children}</body>
    </html>
  );
}
