import { scaleBand, scaleLinear } from "d3-scale";
import { formatMoney, minorUnitDigits } from "@/lib/billing/money";
import { formatPeriod, parsePeriod } from "@/lib/billing/period";
import type { ReportMonth } from "@/lib/billing/report";

const WIDTH = 720;
const HEIGHT = 260;
const MARGIN = { top: 16, right: 48, bottom: 28, left: 64 };

function monthLabel(period: string, locale: string) {
  const { year, month } = parsePeriod(period);
  return new Intl.DateTimeFormat(locale, { month: "short", timeZone: "UTC" }).format(Date.UTC(year, month - 1, 1));
}

/**
 * Twelve months of revenue (bars, left axis) and bookings (line, right axis) as an SVG
 * rendered on the server: d3-scale does the arithmetic, React writes the markup, and
 * the browser downloads no chart code at all. The table below the chart carries the
 * same figures for screen readers.
 */
export function RevenueChart({
  months,
  currency,
  locale,
}: {
  months: ReportMonth[];
  currency: string;
  locale: string;
}) {
  const digits = minorUnitDigits(currency);
  const revenue = months.map((m) => (m.summary?.revenueMinor ?? 0) / 10 ** digits);
  const booked = months.map((m) => m.summary?.bookingsTotal ?? 0);
  const x = scaleBand<string>()
    .domain(months.map((m) => m.period))
    .range([MARGIN.left, WIDTH - MARGIN.right])
    .padding(0.25);
  const y = scaleLinear()
    .domain([0, Math.max(1, ...revenue)])
    .nice(4)
    .range([HEIGHT - MARGIN.bottom, MARGIN.top]);
  const yBookings = scaleLinear()
    .domain([0, Math.max(1, ...booked)])
    .nice(4)
    .range([HEIGHT - MARGIN.bottom, MARGIN.top]);
  const center = (period: string) => (x(period) ?? 0) + x.bandwidth() / 2;
  const money = (value: number) =>
    new Intl.NumberFormat(locale, { style: "currency", currency, notation: "compact" }).format(value);
  const line = months
    .map((m, i) => `${i === 0 ? "M" : "L"}${center(m.period).toFixed(1)},${yBookings(booked[i]).toFixed(1)}`)
    .join(" ");
  return (
    <figure>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className="h-auto w-full"
        role="img"
        aria-labelledby="revenue-chart-title"
        data-testid="revenue-chart"
      >
        <title id="revenue-chart-title">Revenue and bookings per month, last twelve months</title>
        {y.ticks(4).map((tick) => (
          <g key={tick}>
            <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(tick)} y2={y(tick)} className="stroke-stone-200" />
            <text x={MARGIN.left - 8} y={y(tick)} dy="0.32em" textAnchor="end" className="fill-stone-500 text-[11px]">
              {money(tick)}
            </text>
          </g>
        ))}
        {yBookings.ticks(4).map((tick) => (
          <text
            key={tick}
            x={WIDTH - MARGIN.right + 8}
            y={yBookings(tick)}
            dy="0.32em"
            className="fill-amber-700 text-[11px]"
          >
            {tick}
          </text>
        ))}
        {months.map((m, i) => (
          <g key={m.period} data-testid="revenue-bar">
            <rect
              x={x(m.period)}
              y={y(revenue[i])}
              width={x.bandwidth()}
              height={y(0) - y(revenue[i])}
              rx={3}
              className="fill-brand-500"
            >
              <title>
                {`${formatPeriod(m.period, locale)}: ${formatMoney(m.summary?.revenueMinor ?? 0, currency, locale)}, ${booked[i]} bookings`}
              </title>
            </rect>
            <text x={center(m.period)} y={HEIGHT - 8} textAnchor="middle" className="fill-stone-500 text-[11px]">
              {monthLabel(m.period, locale)}
            </text>
          </g>
        ))}
        <path d={line} fill="none" strokeWidth={2} className="stroke-amber-600" />
        {months.map((m, i) => (
          <circle key={m.period} cx={center(m.period)} cy={yBookings(booked[i])} r={3.5} className="fill-amber-600" />
        ))}
      </svg>
      <figcaption className="mt-2 flex flex-wrap gap-4 text-xs text-stone-600">
        <span className="flex items-center gap-1.5">
          <span className="size-3 rounded-sm bg-brand-500" aria-hidden /> Revenue (completed appointments)
        </span>
        <span className="flex items-center gap-1.5">
          <span className="size-3 rounded-full bg-amber-600" aria-hidden /> Bookings
        </span>
      </figcaption>
    </figure>
  );
}
