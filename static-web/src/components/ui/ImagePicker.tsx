import { ImagePlus } from "lucide-react";
import { useEffect, useId, useState } from "react";
import { ApiError, errorMessage } from "../../api/http";
import { Avatar } from "./Avatar";
import { Button } from "./Button";

export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
const TYPES = ["image/png", "image/jpeg", "image/webp"];

/** Checks a picked file the way the API does (type and size). Returns a message or null. */
export function checkImage(file: File): string | null {
  if (!TYPES.includes(file.type)) return "Use a PNG, JPEG or WebP image.";
  if (file.size > MAX_IMAGE_BYTES) return "Use an image of 2 MB or less.";
  return null;
}

export interface ImagePickerProps {
  label: string;
  name: string;
  seed: string;
  currentUrl: string | null;
  file: File | null;
  onFileChange: (file: File | null) => void;
  error?: string[] | undefined;
  square?: boolean;
  /** An upload button; leave out when the parent form uploads the file itself. */
  onUpload?: () => void;
  uploading?: boolean;
}

/** The messages to show under the picker for a failed upload. */
export function imageErrors(error: unknown): string[] | undefined {
  if (!error) return undefined;
  if (error instanceof ApiError) {
    const messages = error.field("file");
    return messages.length ? messages : [errorMessage(error)];
  }
  return [errorMessage(error)];
}

/** A file input with a live preview of the picked image. */
export function ImagePicker({
  label,
  name,
  seed,
  currentUrl,
  file,
  onFileChange,
  error,
  square = false,
  onUpload,
  uploading = false,
}: ImagePickerProps) {
  const id = useId();
  const [preview, setPreview] = useState<string | null>(null);
  const [localError, setLocalError] = useState<string | null>(null);

  useEffect(() => {
    if (!file) {
      setPreview(null);
      return;
    }
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const errors = [...(localError ? [localError] : []), ...(error ?? [])];

  return (
    <div className="flex flex-col gap-4 sm:flex-row sm:items-center">
      <Avatar
        name={name || "?"}
        seed={seed}
        src={preview ?? currentUrl}
        square={square}
        className="size-24 text-3xl ring-4 ring-white shadow-md"
        alt={preview ? "Preview of the new picture" : ""}
      />
      <div className="min-w-0 flex-1 space-y-2">
        <label htmlFor={id} className="block text-sm font-medium text-slate-800">
          {label}
        </label>
        <input
          id={id}
          type="file"
          accept="image/png,image/jpeg,image/webp"
          aria-invalid={errors.length ? true : undefined}
          aria-describedby={`${id}-hint`}
          onChange={(event) => {
            const picked = event.target.files?.[0] ?? null;
            if (picked) {
              const problem = checkImage(picked);
              setLocalError(problem);
              onFileChange(problem ? null : picked);
              if (problem) event.target.value = "";
            } else {
              onFileChange(null);
            }
          }}
          className="block w-full text-sm text-slate-600 file:mr-3 file:cursor-pointer file:rounded-lg file:border-0 file:bg-brand-50 file:px-3 file:py-2 file:text-sm file:font-medium file:text-brand-700 hover:file:bg-brand-100"
        />
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          PNG, JPEG or WebP, up to 2 MB. Square images look best.
        </p>
        {errors.map((message, i) => (
          <p key={i} role="alert" className="text-xs font-medium text-red-600">
            {message}
          </p>
        ))}
        {onUpload && file ? (
          <div className="flex gap-2 pt-1">
            <Button size="sm" onClick={onUpload} loading={uploading}>
              <ImagePlus aria-hidden className="size-4" />
              Upload photo
            </Button>
            <Button size="sm" variant="ghost" disabled={uploading} onClick={() => onFileChange(null)}>
              Cancel
            </Button>
          </div>
        ) : null}
      </div>
    </div>
  );
}
