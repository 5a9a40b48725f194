"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/cn";

type NavLinkProps = React.ComponentProps<typeof Link> & { href: string; exact?: boolean };

/** A dashboard link marked as the current page; other props (a menu's onClick) reach the anchor. */
export function NavLink({ href, exact, className, children, ...props }: NavLinkProps) {
  const pathname = usePathname();
  const active = exact ? pathname === href : pathname === href || pathname.startsWith(`${href}/`);
  return (
    <Link
      href={href}
      aria-current={active ? "page" : undefined}
      className={cn(
        "rounded-md px-2.5 py-1.5 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500",
        active ? "bg-brand-50 font-medium text-brand-700" : "text-stone-600 hover:bg-stone-100 hover:text-stone-900",
        className,
      )}
      {...props}
    >
      {children}
    </Link>
  );
}
