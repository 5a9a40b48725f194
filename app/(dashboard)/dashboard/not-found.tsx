import { DashboardNotice } from "../page-header";

export const metadata = { title: "Not found" };

/** A client, treatment or practitioner that is not this clinic's (or no longer exists), with the menu still there. */
export default function DashboardNotFound() {
  return (
    <DashboardNotice title="Not found in this clinic">
      Nothing in this clinic is at this address: it may have been removed, or belong to another clinic.
    </DashboardNotice>
  );
}
