import * as AvatarPrimitive from "@radix-ui/react-avatar";
import { apiUrl } from "../../api/base";
import { cn } from "../../lib/cn";
import { initials } from "../../lib/format";

const gradients = [
  "from-indigo-500 to-violet-500",
  "from-sky-500 to-indigo-500",
  "from-emerald-500 to-teal-500",
  "from-rose-500 to-orange-400",
  "from-fuchsia-500 to-pink-500",
  "from-amber-500 to-orange-500",
  "from-cyan-500 to-blue-500",
  "from-violet-500 to-purple-600",
];

function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
  return Math.abs(h);
}

export interface AvatarProps {
  name: string;
  src?: string | null;
  /** Picks the fallback colour; defaults to the name. */
  seed?: string;
  className?: string;
  /** Square with rounded corners instead of a circle. */
  square?: boolean;
  /** Alt text; "" when the name is shown next to the image. */
  alt?: string;
}

export function Avatar({ name, src, seed, className, square = false, alt = "" }: AvatarProps) {
  const gradient = gradients[hash(seed ?? name) % gradients.length];
  return (
    <AvatarPrimitive.Root
      className={cn(
        "@container relative inline-flex size-10 shrink-0 overflow-hidden bg-slate-200 align-middle select-none",
        square ? "rounded-2xl" : "rounded-full",
        className,
      )}
    >
      {/* Pictures the API serves come as "/api/..." paths: from the API's origin when it has its own. */}
      {src ? <AvatarPrimitive.Image src={apiUrl(src)} alt={alt} className="size-full object-cover" /> : null}
      <AvatarPrimitive.Fallback
        delayMs={src ? 400 : 0}
        className={cn(
          "flex size-full items-center justify-center bg-gradient-to-br font-semibold text-white",
          gradient,
        )}
      >
        <span aria-hidden className="text-[38cqw] leading-none">
          {initials(name)}
        </span>
      </AvatarPrimitive.Fallback>
    </AvatarPrimitive.Root>
  );
}
