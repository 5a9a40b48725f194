/** How a clinic's phone and address are shown to clients: booking and manage pages, booking emails. */

/**
 * A `tel:` link for a phone as the clinic typed it. Only digits and a leading + are dialled;
 * the "(0)" of "+44 (0)20 ..." is a trunk prefix that must not be dialled after the country code.
 */
export function telHref(phone: string): string {
  const international = phone.trimStart().startsWith("+");
  const digits = (international ? phone.replace(/\(0\)/g, "") : phone).replace(/[^0-9]/g, "");
  return `tel:${international ? "+" : ""}${digits}`;
}

/** A multi-line address on one line ("12 River Lane, London SE1 2AB"), for a contact line or an email. */
export function addressOnOneLine(address: string): string {
  return address
    .split("\n")
    .map((line) => line.trim().replace(/,$/, ""))
    .filter(Boolean)
    .join(", ");
}
