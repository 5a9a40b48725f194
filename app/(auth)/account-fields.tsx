import { Field } from "@/app/_ui/form";
import { EMAIL_MAX, NAME_MAX } from "@/lib/clinic/form-fields";

/** The new account's name, email and password: both sign-ups (a clinic's owner, an invitee) ask for them. */
export function AccountFields({ email, emailHint }: { email?: string; emailHint?: string }) {
  return (
    <>
      <Field name="name" label="Your name" autoComplete="name" maxLength={NAME_MAX} required />
      <Field
        name="email"
        label="Email"
        type="email"
        autoComplete="email"
        maxLength={EMAIL_MAX}
        defaultValue={email}
        hint={emailHint}
        required
      />
      <Field
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        hint="At least 10 characters"
        maxLength={128}
        required
      />
    </>
  );
}
