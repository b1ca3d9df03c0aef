/**
 * Test set-up shared by every LWC jest suite: registers the @sa11y/jest `toBeAccessible()` matcher
 * (axe-core rules preset for Salesforce) so accessibility tests assert against the rendered DOM.
 */
import { registerSa11yMatcher } from '@sa11y/jest';

registerSa11yMatcher();
