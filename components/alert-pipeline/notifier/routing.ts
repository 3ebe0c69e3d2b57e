/** Which destinations an alert goes to. */
import { NormalisedAlert } from "./alert";
import { DestinationConfig } from "./config";

/** What routing reads of an alert. */
export type RoutingKey = Pick<NormalisedAlert, "team" | "severity" | "source">;

export function destinationMatches(destination: DestinationConfig, alert: RoutingKey): boolean {
  const match = destination.match;
  if (!match) return true;
  if (match.teams && !match.teams.includes(alert.team)) return false;
  if (match.severities && !match.severities.includes(alert.severity)) return false;
  if (match.sources && !match.sources.includes(alert.source)) return false;
  return true;
}

/** Every destination that matches, in config order. An empty list means the alert is unrouted (and fails). */
export function routeAlert(destinations: DestinationConfig[], alert: RoutingKey): DestinationConfig[] {
  return destinations.filter((destination) => destinationMatches(destination, alert));
}
