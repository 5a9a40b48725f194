import { describe, expect, it } from "vitest";
import { bookingEmbedHtml } from "@/lib/booking/booking-links";
import { env } from "@/lib/env";

describe("the booking page's embed code", () => {
  it("frames the booking page, with the clinic's name escaped for the attribute it sits in", () => {
    const html = bookingEmbedHtml({ slug: "tom-and-jerry", name: `Tom & "Jerry" <Physio>` });
    expect(html).toBe(
      `<iframe src="${env().APP_URL}/book/tom-and-jerry" title="Book at Tom &amp; &quot;Jerry&quot; &lt;Physio>" style="width:100%;height:1100px;border:0"></iframe>`,
    );
  });
});
