import Link from "next/link";
import { ActionForm, SubmitButton, type FormAction } from "@/app/_ui/form";

/**
 * The page an emailed link about the account's address opens: what the link does and the
 * button that does it, since the page itself changes nothing (mail scanners open links);
 * or, for a link that cannot be used (`token` undefined), why.
 */
export function EmailLinkPage(props: {
  title: string;
  /** The link's token while it works. */
  token: string | undefined;
  action: FormAction;
  button: string;
  invalid: string;
  footer: { href: string; label: string };
  /** What pressing the button does. */
  children: React.ReactNode;
}) {
  return (
    <>
      <h1 className="text-2xl font-semibold">{props.title}</h1>
      {props.token ? (
        <>
          {props.children}
          <ActionForm action={props.action} className="mt-6 space-y-4">
            <input type="hidden" name="token" value={props.token} />
            <SubmitButton>{props.button}</SubmitButton>
          </ActionForm>
        </>
      ) : (
        <p role="alert" className="mt-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {props.invalid}
        </p>
      )}
      <p className="mt-6 text-sm text-stone-600">
        <Link href={props.footer.href} className="font-medium text-brand-700 underline">
          {props.footer.label}
        </Link>
      </p>
    </>
  );
}
