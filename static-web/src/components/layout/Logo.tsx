export function LogoMark({ className = "size-8" }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" aria-hidden className={className}>
      <defs>
        <linearGradient id="cloneai-logo" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#6366f1" />
          <stop offset="1" stopColor="#a855f7" />
        </linearGradient>
      </defs>
      <rect width="32" height="32" rx="9" fill="url(#cloneai-logo)" />
      <circle cx="13" cy="14" r="6" fill="none" stroke="#fff" strokeWidth="2.5" />
      <circle cx="19" cy="18" r="6" fill="none" stroke="#fff" strokeOpacity=".7" strokeWidth="2.5" />
    </svg>
  );
}
