import { clsx, type ClassValue } from "clsx";
import { twMerge } from "tailwind-merge";

/** Joins class names; a later Tailwind class wins over an earlier one it conflicts with (p-2 then p-4). */
export function cn(...inputs: ClassValue[]) {
  return twMerge(clsx(inputs));
}
