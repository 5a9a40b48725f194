/** The body of every document: the root layout's and global-error's, which replaces it. */
export const BODY_CLASS = "min-h-screen bg-stone-50 font-sans text-stone-900 antialiased";
