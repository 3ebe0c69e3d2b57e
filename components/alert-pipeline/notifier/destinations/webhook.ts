/** Generic webhook: the normalised alert itself, as JSON, one POST per alert. */
import { NormalisedAlert } from "../alert";
import { DeliveryContext, sendWithRetry } from "../http-delivery";
import { WebhookCredentials } from "../secrets";
import { DestinationOutcome, deliverEachAlert, failed } from "./destination";

export function renderWebhookBody(alert: NormalisedAlert): string {
  return JSON.stringify(alert);
}

export function deliverToWebhook(
  alerts: NormalisedAlert[],
  credentials: WebhookCredentials,
  context: DeliveryContext,
): Promise<DestinationOutcome[]> {
  return deliverEachAlert(alerts, async (alert) => {
    const result = await sendWithRetry(
      {
        method: "POST",
        url: credentials.url,
        headers: { ...credentials.headers, "content-type": "application/json" },
        body: renderWebhookBody(alert),
      },
      context,
    );
    return result.ok ? { status: "delivered", action: "posted", attempts: result.attempts } : failed(result.error, result.attempts);
  });
}
