import { BadgeCheck } from "lucide-react";
import { useMemo, useState, type FormEvent } from "react";
import type { Me } from "../../api/contract";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { Field } from "../../components/ui/Field";
import { FormProblem, errorsFor } from "../../components/ui/FormProblem";
import { ImagePicker, imageErrors } from "../../components/ui/ImagePicker";
import { Input, Textarea } from "../../components/ui/Input";
import { Card, PageHeader } from "../../components/ui/States";
import { useToast } from "../../components/ui/Toast";
import { capitalize, formatDate, splitList } from "../../lib/format";
import { useTitle } from "../../lib/useTitle";
import { useAuth } from "../auth/AuthProvider";
import { AccessLogSection } from "./AccessLogSection";
import { SignOutEverywhereSection } from "./SignOutEverywhereSection";
import { YourDataSection } from "../privacy/YourDataSection";
import { useUpdateProfile, useUploadProfilePhoto } from "./queries";

function timeZones(): string[] {
  try {
    return (Intl as unknown as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.("timeZone") ?? [];
  } catch {
    return [];
  }
}

export function ProfilePage() {
  useTitle("Your profile");
  const { me } = useAuth();
  if (!me) return null;
  return <ProfileForm key={me.id} me={me} />;
}

function ProfileForm({ me }: { me: Me }) {
  const toast = useToast();
  const updateProfile = useUpdateProfile();
  const uploadPhoto = useUploadProfilePhoto();
  const zones = useMemo(timeZones, []);

  const [displayName, setDisplayName] = useState(me.displayName);
  const [bio, setBio] = useState(me.bio ?? "");
  const [expertise, setExpertise] = useState((me.expertise ?? []).join(", "));
  const [timezone, setTimezone] = useState(me.timezone || Intl.DateTimeFormat().resolvedOptions().timeZone || "");
  const [length, setLength] = useState<string>(me.style?.length ?? "");
  const [tone, setTone] = useState<string>(me.style?.tone ?? "");
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const [file, setFile] = useState<File | null>(null);
  const [uploading, setUploading] = useState(false);
  const [avatarError, setAvatarError] = useState<unknown>(null);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setError(null);
    try {
      await updateProfile.mutateAsync({
        displayName: displayName.trim(),
        bio,
        expertise: splitList(expertise),
        timezone: timezone.trim(),
        // An empty part is no preference (absent is null).
        style: { ...(length ? { length } : {}), ...(tone ? { tone } : {}) },
      });
      toast({ title: "Profile saved" });
    } catch (e) {
      setError(e);
    } finally {
      setSaving(false);
    }
  };

  const upload = async () => {
    if (!file) return;
    setUploading(true);
    setAvatarError(null);
    try {
      await uploadPhoto.mutateAsync(file);
      setFile(null);
      toast({ title: "Photo updated" });
    } catch (e) {
      setAvatarError(e);
    } finally {
      setUploading(false);
    }
  };

  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader title="Your profile" description="This is how people see you on CloneAI." />
      <div className="space-y-6">
        <Card className="p-6 sm:p-8">
          <h2 className="mb-5 text-base font-semibold text-slate-900">Photo</h2>
          <ImagePicker
            label="Profile photo"
            name={displayName || me.displayName}
            seed={me.id}
            currentUrl={me.avatarUrl}
            file={file}
            onFileChange={(f) => {
              setFile(f);
              setAvatarError(null);
            }}
            error={imageErrors(avatarError)}
            onUpload={() => void upload()}
            uploading={uploading}
          />
        </Card>

        <Card className="p-6 sm:p-8">
          <h2 className="mb-5 text-base font-semibold text-slate-900">Details</h2>
          <form onSubmit={onSubmit} noValidate className="space-y-5">
            <FormProblem error={error} shownFields={["displayName", "bio", "expertise", "timezone", "style.length", "style.tone"]} />
            <div className="space-y-1.5">
              <p className="text-sm font-medium text-slate-800">Email</p>
              <p className="flex flex-wrap items-center gap-2 text-sm break-all text-slate-700">
                {me.email}
                {me.emailVerified ? (
                  <Badge tone="success">
                    <BadgeCheck aria-hidden className="size-3.5" />
                    Verified
                  </Badge>
                ) : (
                  <Badge tone="warning">Not verified</Badge>
                )}
              </p>
            </div>
            <Field label="Display name" error={errorsFor(error, "displayName")}>
              {(p) => <Input {...p} value={displayName} onChange={(e) => setDisplayName(e.target.value)} maxLength={80} autoComplete="name" />}
            </Field>
            <Field label="Bio" labelNote={`${bio.length} / 2000`} hint="A few lines about your background." error={errorsFor(error, "bio")}>
              {(p) => <Textarea {...p} value={bio} onChange={(e) => setBio(e.target.value)} maxLength={2000} rows={4} />}
            </Field>
            <Field label="Expertise" hint="Separate topics with commas, e.g. Product strategy, Pricing, SaaS." error={errorsFor(error, "expertise")}>
              {(p) => <Input {...p} value={expertise} onChange={(e) => setExpertise(e.target.value)} />}
            </Field>
            {splitList(expertise).length ? (
              <ul aria-label="Expertise preview" className="-mt-2 flex flex-wrap gap-1.5">
                {splitList(expertise).map((item) => (
                  <li key={item}>
                    <Badge tone="brand">{item}</Badge>
                  </li>
                ))}
              </ul>
            ) : null}
            <Field label="Time zone" hint="An IANA time zone such as Europe/Paris." error={errorsFor(error, "timezone")}>
              {(p) => (
                <>
                  <Input {...p} value={timezone} onChange={(e) => setTimezone(e.target.value)} list="time-zones" autoComplete="off" />
                  <datalist id="time-zones">
                    {zones.map((z) => (
                      <option key={z} value={z} />
                    ))}
                  </datalist>
                </>
              )}
            </Field>
            <StyleChoice
              legend="Answer length"
              hint="How long clones' answers to you should be. A setting you make for one clone comes first."
              name="style-length"
              value={length}
              onChange={setLength}
              options={LENGTHS}
              error={errorsFor(error, "style.length")}
            />
            <StyleChoice
              legend="Tone"
              hint="How clones should speak to you."
              name="style-tone"
              value={tone}
              onChange={setTone}
              options={TONES}
              error={errorsFor(error, "style.tone")}
            />
            <div className="flex justify-end border-t border-slate-100 pt-5">
              <Button type="submit" loading={saving}>
                Save profile
              </Button>
            </div>
          </form>
        </Card>

        <Card className="p-6 sm:p-8">
          <h2 className="mb-3 text-base font-semibold text-slate-900">Account</h2>
          <dl className="grid gap-3 text-sm sm:grid-cols-2">
            <div>
              <dt className="text-slate-500">Roles</dt>
              <dd className="mt-1 flex flex-wrap gap-1.5">
                {me.roles.map((role) => (
                  <Badge key={role} tone={role === "user" ? "neutral" : "brand"}>
                    {capitalize(role)}
                  </Badge>
                ))}
              </dd>
            </div>
            <div>
              <dt className="text-slate-500">Member since</dt>
              <dd className="mt-1 text-slate-800">{formatDate(me.createdAt)}</dd>
            </div>
          </dl>
        </Card>

        <SignOutEverywhereSection />
        <AccessLogSection />
        <YourDataSection me={me} />
      </div>
    </div>
  );
}

const LENGTHS = [
  { value: "", label: "No preference" },
  { value: "concise", label: "Concise" },
  { value: "detailed", label: "Detailed" },
];

const TONES = [
  { value: "", label: "No preference" },
  { value: "casual", label: "Casual" },
  { value: "formal", label: "Formal" },
];

/** A communication style part as a group of radio buttons ("" is no preference). */
export function StyleChoice({
  legend,
  hint,
  name,
  value,
  onChange,
  options,
  error,
}: {
  legend: string;
  hint: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
  error?: string[] | undefined;
}) {
  const hintId = `${name}-hint`;
  const errorId = `${name}-error`;
  return (
    <fieldset aria-describedby={error?.length ? `${hintId} ${errorId}` : hintId} className="space-y-1.5">
      <legend className="text-sm font-medium text-slate-800">{legend}</legend>
      <p id={hintId} className="text-sm text-slate-500">
        {hint}
      </p>
      <div className="flex flex-wrap gap-2 pt-1">
        {options.map((o) => (
          <label
            key={o.value || "none"}
            className="inline-flex min-h-10 cursor-pointer items-center gap-2 rounded-lg border border-slate-300 px-3 text-sm text-slate-800 has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50"
          >
            <input type="radio" name={name} value={o.value} checked={value === o.value} onChange={() => onChange(o.value)} className="accent-brand-600" />
            {o.label}
          </label>
        ))}
      </div>
      {error?.length ? (
        <p id={errorId} className="text-sm text-red-700">
          {error.join(" ")}
        </p>
      ) : null}
    </fieldset>
  );
}
