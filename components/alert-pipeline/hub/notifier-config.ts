/**
 * Turns the pipeline's destinations and routes into the notifier's NOTIFIER_CONFIG. Only
 * secret ARNs travel in it; the credentials stay in Secrets Manager.
 */
import { AlertSource, Severity } from "../notifier/alert";
import { DestinationType, NotifierConfig, validateNotifierConfig } from "../notifier/config";

export interface AlertDestination {
  name: string;
  type: DestinationType;
  /** Secrets Manager secret name holding the credentials; defaults to a name derived from the environment. */
  secretName?: string;
  jira?: { projectKey: string; issueType: string };
}

/** Which alerts a destination receives: every list given must contain the alert's value. */
export interface AlertRoute {
  destination: string;
  teams?: string[];
  severities?: Severity[];
  sources?: AlertSource[];
}

export function notifierConfig(destinations: AlertDestination[], routes: AlertRoute[], secretArns: Record<string, string>): NotifierConfig {
  const routeOf = new Map(routes.map((r) => [r.destination, r]));
  for (const route of routes) {
    if (!destinations.some((d) => d.name === route.destination)) {
      throw new Error(`route to "${route.destination}" names no destination (destinations: ${destinations.map((d) => d.name).join(", ")})`);
    }
  }
  const config = {
    destinations: destinations.map((d) => {
      const route = routeOf.get(d.name);
      const match = route && {
        ...(route.teams ? { teams: route.teams } : {}),
        ...(route.severities ? { severities: route.severities } : {}),
        ...(route.sources ? { sources: route.sources } : {}),
      };
      const secretArn = secretArns[d.name];
      if (!secretArn) throw new Error(`destination "${d.name}" has no secret`);
      return {
        name: d.name,
        type: d.type,
        secretArn,
        ...(match && Object.keys(match).length > 0 ? { match } : {}),
        ...(d.jira ? { jira: d.jira } : {}),
      };
    }),
  };
  // The notifier checks this again at cold start; checking here fails the deployment instead.
  return validateNotifierConfig(config, "NOTIFIER_CONFIG");
}
