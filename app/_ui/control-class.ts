/**
 * The look of every text input and select: the form components (./form.tsx) and the
 * plain GET forms of the booking pages share it. Not in form.tsx: a server component
 * importing a value from a "use client" module gets a reference, not the string.
 */
export const controlClass =
  "mt-1 block w-full rounded-md border border-stone-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/40 aria-[invalid=true]:border-red-500";
