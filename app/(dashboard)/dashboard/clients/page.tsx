import Link from "next/link";
import { Search } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { controlClass } from "@/app/_ui/control-class";
import { cn } from "@/lib/cn";
import { requireMember } from "@/lib/auth/session";
import { CLIENT_SEARCH_MAX, clientSearchSchema, listClients, type ClientSearch } from "@/lib/clinic/clients";
import { formatClinicDayOfYear } from "@/lib/format/clinic-time";
import { Card, PageHeader } from "../../page-header";

export const metadata = { title: "Clients" };

type SearchParams = Promise<{ q?: string | string[]; page?: string | string[] }>;

/** The list's address for another page of the same search. */
function pageHref(search: ClientSearch, page: number) {
  const params = new URLSearchParams();
  if (search.q) params.set("q", search.q);
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return query ? `/dashboard/clients?${query}` : "/dashboard/clients";
}

export default async function ClientsPage({ searchParams }: { searchParams: SearchParams }) {
  const member = await requireMember();
  const parsed = clientSearchSchema.safeParse(await searchParams);
  const search = parsed.success ? parsed.data : { q: "", page: 1 };
  const { clients, hasMore } = parsed.success ? await listClients(member, search) : { clients: [], hasMore: false };
  const clock = { timeZone: member.clinic.timeZone, locale: member.clinic.locale };
  return (
    <>
      <PageHeader title="Clients" description="Everyone who has booked, by name. Open one for their appointments." />
      <Card>
        <form action="/dashboard/clients" role="search" className="mb-4 flex flex-wrap items-center gap-2">
          <label htmlFor="client-search" className="sr-only">
            Search clients
          </label>
          <input
            id="client-search"
            name="q"
            type="search"
            defaultValue={search.q}
            maxLength={CLIENT_SEARCH_MAX}
            placeholder="Name, email or phone"
            className={cn(controlClass, "mt-0 max-w-sm")}
          />
          <Button type="submit" variant="secondary">
            <Search aria-hidden />
            Search
          </Button>
          {search.q ? (
            <Link href="/dashboard/clients" className="text-sm text-brand-700 underline">
              Show everyone
            </Link>
          ) : null}
        </form>
        {parsed.success ? null : (
          <p role="alert" className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            {parsed.error.issues[0].message}
          </p>
        )}
        {clients.length === 0 && parsed.success ? (
          <p className="text-sm text-stone-600">
            {search.q
              ? `No client's name, email or phone contains “${search.q}”.`
              : search.page > 1
                ? "No more clients."
                : "No clients yet. Everyone who books appears here."}
          </p>
        ) : null}
        {clients.length > 0 ? (
          <Table data-testid="clients">
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Contact</TableHead>
                <TableHead>Appointments</TableHead>
                <TableHead>No-shows</TableHead>
                <TableHead>Last visit</TableHead>
                <TableHead>Next</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {clients.map((client) => (
                <TableRow key={client.id}>
                  <th scope="row" className="py-3 pr-4 font-medium">
                    <Link href={`/dashboard/clients/${client.id}`} className="text-brand-700 underline">
                      {client.name}
                    </Link>
                  </th>
                  <TableCell className="break-all text-stone-600">
                    {client.email}
                    {client.phone ? <div>{client.phone}</div> : null}
                  </TableCell>
                  <TableCell>{client.appointments}</TableCell>
                  <TableCell>{client.noShows}</TableCell>
                  <TableCell className="whitespace-nowrap">
                    {client.lastVisit ? formatClinicDayOfYear(client.lastVisit, clock) : "–"}
                  </TableCell>
                  <TableCell className="whitespace-nowrap">
                    {client.nextAppointment ? formatClinicDayOfYear(client.nextAppointment, clock) : "–"}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ) : null}
        {search.page > 1 || hasMore ? (
          <nav aria-label="Pages of clients" className="mt-4 flex justify-between text-sm">
            {search.page > 1 ? (
              <Link href={pageHref(search, search.page - 1)} className="text-brand-700 underline">
                Previous
              </Link>
            ) : (
              <span />
            )}
            {hasMore ? (
              <Link href={pageHref(search, search.page + 1)} className="text-brand-700 underline">
                Next
              </Link>
            ) : null}
          </nav>
        ) : null}
      </Card>
    </>
  );
}
