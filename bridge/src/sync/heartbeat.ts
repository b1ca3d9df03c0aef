import type { SalesforcePort, SObjectRecord } from './ports.js';

export interface BridgeStatusInput {
  connectionId: string;
  status: 'Running' | 'Degraded' | 'Stopped';
  now: string;
  lastQadPoll: string | null;
  cdcReplayPosition: string | null;
  cdcLastEventAt: string | null;
  budget: { used: number; max: number } | null;
  lastError: string | null;
  bridgeVersion: string;
  /** what the org's Getting started checks: the change-event subscription as this bridge sees it */
  cdcSubscriptionState: CdcSubscriptionState;
}

/** the values of the package's restricted picklist Sync_Bridge_Status__c.CDC_Subscription_State__c */
export type CdcSubscriptionState = 'Subscribed' | 'Connecting' | 'Catching Up' | 'Refused' | 'Not Used';

export function toBridgeStatusRecord(input: BridgeStatusInput): SObjectRecord {
  return {
    Connection_Id__c: input.connectionId,
    Status__c: input.status,
    Last_Heartbeat__c: input.now,
    Last_QAD_Poll__c: input.lastQadPoll,
    CDC_Replay_Position__c: input.cdcReplayPosition?.slice(0, 255) ?? null,
    CDC_Last_Event_At__c: input.cdcLastEventAt,
    API_Requests_Used__c: input.budget?.used ?? null,
    API_Requests_Max__c: input.budget?.max ?? null,
    Last_Error__c: input.lastError?.slice(0, 32_000) ?? null,
    Bridge_Version__c: input.bridgeVersion.slice(0, 40),
    CDC_Subscription_State__c: input.cdcSubscriptionState,
  };
}

/** one upsert by Connection_Id__c; critical, so it still goes out when the API reserve is reached */
export async function sendHeartbeat(salesforce: SalesforcePort, input: BridgeStatusInput): Promise<void> {
  const [outcome] = await salesforce.upsert('Sync_Bridge_Status__c', 'Connection_Id__c', [toBridgeStatusRecord(input)], { critical: true });
  if (outcome && !outcome.ok) {
    const first = outcome.errors[0];
    throw Object.assign(new Error(`Sync_Bridge_Status__c upsert refused: ${first?.statusCode ?? 'UNKNOWN'} ${first?.message ?? ''}`), { code: `SF_${first?.statusCode ?? 'UNKNOWN'}`, retryable: true });
  }
}
