import Link from "next/link";
import { ActionForm, SubmitButton } from "@/app/_ui/form";
import { NewPasswordField } from "../account-fields";
import { resetPasswordAction } from "../actions";

export const metadata = { title: "Choose a new password" };

type SearchParams = Promise<{ token?: string | string[] }>;

/**
 * Where the reset email's link lands (`?token=`). The token is checked when the form is
 * sent: an expired or used one gets a sentence and a way to ask for a new link.
 */
export default async function ResetPasswordPage({ searchParams }: { searchParams: SearchParams }) {
  const { token } = await searchParams;
  if (typeof token !== "string" || token === "") {
    return (
      <>
        <h1 className="text-2xl font-semibold">Choose a new password</h1>
        <p role="alert" className="mt-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          This page needs the link from your reset email; open it from the email again.
        </p>
        <AskAgain />
      </>
    );
  }
  return (
    <>
      <h1 className="text-2xl font-semibold">Choose a new password</h1>
      <p className="mt-1 text-sm text-stone-600">Choosing one signs you out on every device where you are signed in.</p>
      <ActionForm action={resetPasswordAction} className="mt-6 space-y-4">
        <input type="hidden" name="token" value={token} />
        <NewPasswordField label="New password" />
        <SubmitButton>Set new password</SubmitButton>
      </ActionForm>
      <AskAgain />
    </>
  );
}

function AskAgain() {
  return (
    <p className="mt-6 text-sm text-stone-600">
      Link expired?{" "}
      <Link href="/forgot-password" className="font-medium text-brand-700 underline">
        Ask for a new one
      </Link>
    </p>
  );
}
