import { describe, expect, it } from "vitest";
import { runValidated } from "@/lib/auth/action";
import { signIn, signInSchema, signUpClinic, signUpSchema } from "@/lib/auth/sign-up";
import { form } from "../fixtures/clinic";

/** What the sign-up and sign-in forms say when something is wrong: each problem once, in plain words. */

const signUp = (values: Record<string, string>) =>
  runValidated(signUpSchema, form(values), async () => {
    throw new Error("bad input must not reach sign-up");
  });

describe("sign-up and sign-in messages", () => {
  it("asks for your name, not 'the your name'", async () => {
    const state = await signUp({
      clinicName: "Clinic",
      slug: "clinic",
      name: " ",
      email: "a@example.com",
      password: "x".repeat(12),
    });
    expect(state.fieldErrors?.name).toEqual(["Enter your name"]);
  });

  it("gives a bad booking address one message, not two run together", async () => {
    const base = { clinicName: "Clinic", name: "Ann", email: "a@example.com", password: "x".repeat(12) };
    expect((await signUp({ ...base, slug: "A!" })).fieldErrors?.slug).toEqual([
      "Use lowercase letters, digits and single dashes, e.g. riverside-physio",
    ]);
    expect((await signUp({ ...base, slug: "ab" })).fieldErrors?.slug).toEqual(["Use at least 3 characters"]);
  });

  it("shows a wrong password's message once: beside the field, not repeated above the form", async () => {
    const password = "right-password-123";
    await signUpClinic({ clinicName: "Once", slug: "once-clinic", name: "Ola", email: "ola@example.com", password });
    const state = await runValidated(
      signInSchema,
      form({ email: "ola@example.com", password: "wrong-password" }),
      (input) => signIn(input),
    );
    expect(state.fieldErrors?.password).toEqual(["That email and password do not match an account."]);
    expect(state.message).toBe("Please correct the highlighted fields.");
  });
});
