/**
 * What the settings of a resource that infrastructure code makes say of recovery (point-in-time
 * recovery, object versioning, a multi-AZ standby, deletion protection, backups), as the terraform
 * analyzer's statements say it: shared by the cdk and pulumi analyzers, which read the settings
 * under the terraform analyzer's keys and name each as their source writes it.
 */
import type { AnalyzerContext } from '../analyzer/context.js';
import { idOf } from '../model/ids.js';
import type { Details, Evidence, RecoveryFact } from '../model/schema.js';

/** The settings read, as the source writes each (`versioned` in CDK, `versioning.enabled` in Pulumi). */
export type RecoverySettingNames = Record<'pointInTimeRecovery' | 'versioning' | 'multiAz' | 'deletionProtection' | 'backupRetentionDays', string>;

/** One recovery fact per setting that says so (`tech`: the source; `resource`: its name for the resource; `store`: its infrastructure id). */
export function emitRecovery(ctx: AnalyzerContext, tech: string, resource: string, d: Details, ev: Evidence, names: RecoverySettingNames, store: string): void {
  const say = (category: RecoveryFact['category'], statement: string, setting: string, extra: Details = {}) =>
    ctx.emit('recovery', {
      id: idOf.recovery(category, `${tech}:${resource}`),
      name: resource,
      category,
      tech,
      details: { resource, store, statement, setting, ...extra },
      evidence: [ev],
    } as RecoveryFact);
  if (d.pointInTimeRecovery === true) say('point-in-time-recovery', 'dynamodb-point-in-time-recovery', names.pointInTimeRecovery);
  if (d.versioning === true) say('versioning', 'object-versioning-restorable', names.versioning);
  if (d.multiAz === true) say('multi-az', 'multi-az-standby', names.multiAz, { value: true });
  if (d.deletionProtection === true) say('deletion-protection', 'deletion-protection', names.deletionProtection);
  if (typeof d.backupRetentionDays === 'number' && d.backupRetentionDays > 0)
    say('backup', 'daily-backups', names.backupRetentionDays, { retentionDays: d.backupRetentionDays });
}
