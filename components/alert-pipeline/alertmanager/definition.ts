/**
 * The AMP alertmanager definition document: `template_files` (name -> template text) and
 * `alertmanager_config` (the Alertmanager YAML as one string), as `aws.amp.AlertManagerDefinition`
 * takes it in `definition`.
 */
import { stringify } from "yaml";
import { renderAlertmanagerConfig } from "./config";
import { MESSAGE_TEMPLATE_FILE, messageTemplateText } from "./message-template";
import { AlertmanagerSettings } from "./settings";

/** Template file name -> text, as Alertmanager loads them (beside the config file locally). */
export function alertmanagerTemplates(settings: AlertmanagerSettings): Record<string, string> {
  return { [MESSAGE_TEMPLATE_FILE]: messageTemplateText(settings) };
}

export function renderAlertmanagerDefinition(settings: AlertmanagerSettings): string {
  return stringify(
    { template_files: alertmanagerTemplates(settings), alertmanager_config: renderAlertmanagerConfig(settings) },
    { lineWidth: 0, blockQuote: "literal", aliasDuplicateObjects: false },
  );
}
