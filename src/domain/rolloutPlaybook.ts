/**
 * The default checklist of each rollout stage, from the seed's playbook
 * (Align → Design → Document → Enable → Instrument → Review).
 */
export const DEFAULT_STAGE_TASKS = {
  align: [
    'Agree the routes to market by segment, region and product line',
    'Decide which routes are direct, partner-led, co-sell and marketplace',
    'Record the revenue strategy the rules of engagement serve',
  ],
  design: [
    'Map the engagement motion of each route from demand to renewal',
    'Define who leads and who supports at each step',
    'Define which partner types and tiers are eligible on each route',
  ],
  document: [
    'Write the registration and opportunity handling rules',
    'Write coverage, escalation paths and co-selling guidelines',
    'Write the "if X, then Y" playbook scenarios with their expected decisions',
  ],
  enable: [
    'Train sales, customer success and partners on the rules',
    'Hold office hours and share worked examples',
    'Make the rules easy to find in the partner portal and internal wiki',
  ],
  instrument: [
    'Configure routing, registration and partner tagging in CRM and PRM',
    'Confirm reporting covers conflicts, SLAs and performance',
  ],
  review: [
    'Review conflicts, exceptions and performance',
    'Collect partner and field feedback',
    'Decide changes and announce them before enforcement',
  ],
} as const;
