/**
 * The hidden field every dashboard form carries: the id of the clinic the page was shown
 * for. A member who switched clinic in another tab would otherwise add a treatment, an
 * invitation or a booking to the clinic their cookie names now, not the one on screen;
 * runMemberAction refuses a post whose clinic is not the active one. Plain data, so the
 * client form components and the server action wrapper share the name.
 */
export const FORM_CLINIC_FIELD = "$clinic";
