import { Field } from "@/app/_ui/form";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "@/lib/auth/auth";
import { EMAIL_MAX, NAME_MAX } from "@/lib/clinic/form-fields";

/** A password being chosen (sign-up, a reset, a change), with the length rule better-auth applies. */
export function NewPasswordField({
  name = "password",
  label = "Password",
  note,
}: {
  name?: string;
  label?: string;
  /** Said after the length rule. */
  note?: string;
}) {
  return (
    <Field
      name={name}
      label={label}
      type="password"
      autoComplete="new-password"
      hint={[`At least ${MIN_PASSWORD_LENGTH} characters.`, note].filter(Boolean).join(" ")}
      maxLength={MAX_PASSWORD_LENGTH}
      required
    />
  );
}

/** A password someone already has (signing in, or confirming a change). */
export function CurrentPasswordField({ name = "password", label = "Password" }: { name?: string; label?: string }) {
  return (
    <Field
      name={name}
      label={label}
      type="password"
      autoComplete="current-password"
      maxLength={MAX_PASSWORD_LENGTH}
      required
    />
  );
}

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
      <NewPasswordField />
    </>
  );
}
