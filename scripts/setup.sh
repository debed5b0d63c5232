# Shared setup steps for ./run and ./test. Source it; each step does nothing when its work is already done.

setup_web() {
  if [ ! -f static-web/package.json ]; then
    echo "static-web/package.json is missing" >&2
    return 1
  fi
  if [ ! -d static-web/node_modules ] || [ static-web/package-lock.json -nt static-web/node_modules/.package-lock.json ]; then
    echo "==> Installing web packages"
    (cd static-web && npm ci --no-audit --no-fund --loglevel=error)
  fi
  local newest
  newest=$(find static-web/src static-web/index.html static-web/package.json static-web/vite.config.* static-web/tailwind.config.* static-web/public static-web/build \
    -newer static-web/dist/index.html 2>/dev/null | head -n 1 || true)
  # The local host serves the API at the web app's own origin. A dist built for Azure (azd's package step, with
  # VITE_API_BASE_URL from .env.production.local) has no .local-build stamp, so it is rebuilt here, with the base URL
  # set empty: a variable in the environment wins over the .env files.
  if [ ! -f static-web/dist/index.html ] || [ ! -f static-web/dist/.local-build ] || [ -n "$newest" ]; then
    echo "==> Building the web app"
    (cd static-web && VITE_API_BASE_URL= npm run build --silent)
    touch static-web/dist/.local-build
  fi
}

setup_chromium() {
  if ! command -v chromium >/dev/null 2>&1; then
    echo "==> Installing Chromium (Debian package)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
}

setup_browser_tests() {
  if [ ! -d tests/browser/node_modules ] || [ tests/browser/package-lock.json -nt tests/browser/node_modules/.package-lock.json ]; then
    echo "==> Installing browser test packages"
    (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

setup_azurite() {
  if [ ! -d tests/azurite/node_modules ] || [ tests/azurite/package-lock.json -nt tests/azurite/node_modules/.package-lock.json ]; then
    echo "==> Installing Azurite (the Blob adapter tests' storage emulator)"
    (cd tests/azurite && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

setup_contract() {
  if [ ! -d tests/contract/node_modules ] || [ tests/contract/package-lock.json -nt tests/contract/node_modules/.package-lock.json ]; then
    echo "==> Installing the OpenAPI linter (Redocly CLI)"
    (cd tests/contract && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# Writes the API's OpenAPI 3.1 document (the one GET /api/openapi.json serves) to $1, from a build of tools/CloneAI.OpenApi.
write_openapi() {
  dotnet build tools/CloneAI.OpenApi -c Release -nologo -v quiet -clp:ErrorsOnly
  dotnet tools/CloneAI.OpenApi/bin/Release/net10.0/CloneAI.OpenApi.dll "$1" >/dev/null
}
