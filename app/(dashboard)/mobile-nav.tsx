"use client";

import { Menu } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Sheet, SheetClose, SheetContent, SheetTrigger } from "@/components/ui/sheet";
import { NavLink } from "./nav-link";

export type NavItem = { href: string; label: string; exact?: boolean };

/**
 * Below xl (1280 px) the dashboard's links live behind one menu button: the full row (up
 * to eight links, the booking page, the account and Sign out) does not fit a narrower
 * window without squeezing the clinic's name or scrolling sideways.
 */
export function MobileNav({ items, children }: { items: NavItem[]; children?: React.ReactNode }) {
  return (
    <Sheet>
      <SheetTrigger asChild>
        <Button variant="ghost" size="icon" className="xl:hidden" aria-label="Open menu">
          <Menu className="size-5" />
        </Button>
      </SheetTrigger>
      <SheetContent title="Menu">
        <nav aria-label="Dashboard" className="flex flex-col gap-1 text-sm">
          {items.map((item) => (
            <SheetClose asChild key={item.href}>
              <NavLink href={item.href} exact={item.exact}>
                {item.label}
              </NavLink>
            </SheetClose>
          ))}
        </nav>
        {children}
      </SheetContent>
    </Sheet>
  );
}
