// The dashboard pages: a clone's (the Dashboard tab of the Studio editor, /studio/:id/dashboard) and all of the creator's
// clones' (/dashboard). The period is in the address (?days=7|30|90).
import { BarChart3 } from "lucide-react";
import { Link, useSearchParams } from "react-router";
import { errorMessage } from "../../api/http";
import { Alert } from "../../components/ui/Alert";
import { buttonClasses } from "../../components/ui/Button";
import { EmptyState, Loading, PageHeader } from "../../components/ui/States";
import { useTitle } from "../../lib/useTitle";
import { useAuth } from "../auth/AuthProvider";
import { DashboardView } from "./DashboardView";
import { useCloneDashboard, useMyDashboard } from "./queries";
import { lastDays, parseDays, type RangeDays } from "./range";

const knowledgeLink = (cloneId: string) => `/studio/${encodeURIComponent(cloneId)}/knowledge`;

function usePeriod() {
  const [params, setParams] = useSearchParams();
  const days = parseDays(params.get("days"));
  const setDays = (n: RangeDays) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        next.set("days", String(n));
        return next;
      },
      { replace: true },
    );
  return { days, range: lastDays(days), setDays };
}

/** One clone's dashboard, inside its Studio editor. */
export function CloneDashboard({ cloneId }: { cloneId: string }) {
  const { days, range, setDays } = usePeriod();
  const query = useCloneDashboard(cloneId, range);
  if (query.data) {
    return (
      <DashboardView dashboard={query.data} days={days} onDaysChange={setDays} knowledgeLink={knowledgeLink} refreshing={query.isPlaceholderData} />
    );
  }
  if (query.error) return <Alert tone="error">{errorMessage(query.error)}</Alert>;
  return <Loading label="Loading the dashboard…" />;
}

/** All of the signed-in creator's clones together, with each one's part. */
export function MyDashboardPage() {
  useTitle("Dashboard");
  const { me } = useAuth();
  const isCreator = !!me && (me.isCreator || me.isAdmin || me.roles.includes("creator"));
  const { days, range, setDays } = usePeriod();
  const query = useMyDashboard(range);
  if (!isCreator) {
    return (
      <EmptyState
        icon={<BarChart3 className="size-6" />}
        title="The dashboard is for creators"
        action={
          <Link to="/become-creator" className={buttonClasses("primary")}>
            Become a creator
          </Link>
        }
      >
        Become a creator to see how your clones are used and what they earn.
      </EmptyState>
    );
  }
  return (
    <div>
      <PageHeader
        title="Dashboard"
        description="All of your clones: sessions, revenue, ratings, what people ask and what your clones could not answer."
        actions={
          <Link to="/studio" className={buttonClasses("outline", "sm")}>
            Studio
          </Link>
        }
      />
      {query.data ? (
        <DashboardView
          dashboard={query.data}
          days={days}
          onDaysChange={setDays}
          allClones
          knowledgeLink={knowledgeLink}
          refreshing={query.isPlaceholderData}
        />
      ) : query.error ? (
        <Alert tone="error">{errorMessage(query.error)}</Alert>
      ) : (
        <Loading label="Loading the dashboard…" />
      )}
    </div>
  );
}
