import type { TopicsFile } from './topicsFile';

type Leaf = [name: string, description: string, keywords: string];
type Top = [name: string, description: string, leaves: Leaf[]];

/** Starting hierarchies for common products (docs/topics.md §Topics). Records are placed by the topics' text until edited. */
const TEMPLATES: Record<string, { readonly title: string; readonly topics: Top[] }> = {
  'customer-support': {
    title: 'Customer support (SaaS / e-commerce)',
    topics: [
      [
        'billing',
        'Payments, invoices, plans and refunds.',
        [
          ['refunds', 'Requests for a refund or a chargeback.', 'refund money back chargeback return charged twice'],
          ['invoices', 'Invoices, receipts and billing details.', 'invoice receipt billing address vat tax'],
          ['plans_pricing', 'Plans, upgrades, downgrades, prices and discounts.', 'plan upgrade downgrade price pricing discount subscription tier'],
          ['payment_methods', 'Cards and payment failures.', 'card payment declined failed update credit paypal'],
        ],
      ],
      [
        'account',
        'Access to and management of the account.',
        [
          ['login_access', 'Sign-in trouble, passwords and two-factor authentication.', 'login log sign password reset locked 2fa two-factor code'],
          ['profile_settings', 'Profile, email, notifications and preferences.', 'profile email change notification setting preference name'],
          ['cancellation', 'Closing the account or cancelling the subscription.', 'cancel close delete account subscription unsubscribe'],
        ],
      ],
      [
        'orders_shipping',
        'Orders, delivery and returns.',
        [
          ['order_status', 'Where an order is and when it arrives.', 'order status track tracking where arrive delivery late'],
          ['returns_exchanges', 'Returning or exchanging items.', 'return exchange damaged wrong item size'],
        ],
      ],
      [
        'technical_issues',
        'Something in the product does not work.',
        [
          ['bugs_errors', 'Errors, crashes and broken features.', 'error bug crash broken not working fails issue'],
          ['integrations', 'Connecting other tools, APIs and webhooks.', 'integration api webhook connect slack zapier sync'],
          ['performance', 'Slowness and outages.', 'slow down outage loading timeout performance'],
        ],
      ],
      [
        'product_questions',
        'How the product works and what it can do.',
        [
          ['how_to', 'How to do something in the product.', 'how to use set up configure create export import'],
          ['feature_requests', 'Requests for features that do not exist.', 'feature request add support would like wish roadmap'],
        ],
      ],
    ],
  },
  'coding-assistant': {
    title: 'Coding assistant',
    topics: [
      [
        'write_code',
        'Writing new code.',
        [
          ['functions', 'Write a function or a small program.', 'write function implement script program code'],
          ['tests', 'Write or fix tests.', 'test unit tests pytest jest mock coverage'],
          ['sql_queries', 'Write or fix SQL.', 'sql query select join table database postgres'],
        ],
      ],
      [
        'debug',
        'Finding and fixing bugs.',
        [
          ['errors_exceptions', 'Explain or fix an error message or stack trace.', 'error exception traceback stack trace fails undefined null'],
          ['wrong_output', 'Code runs but gives the wrong result.', 'wrong output result expected instead bug incorrect'],
        ],
      ],
      [
        'explain',
        'Understanding code and concepts.',
        [
          ['explain_code', 'What a piece of code does.', 'explain what does this code mean understand'],
          ['concepts', 'Language and computer-science concepts.', 'difference between concept async closure pointer recursion'],
        ],
      ],
      [
        'refactor_review',
        'Improving existing code.',
        [
          ['refactor', 'Restructure or clean up code.', 'refactor clean simplify rename improve readable'],
          ['performance', 'Make code faster or use less memory.', 'faster performance optimize slow memory efficient'],
          ['code_review', 'Review code for problems.', 'review check problems best practice security'],
        ],
      ],
      [
        'tooling',
        'Build, dependencies, git and deployment.',
        [
          ['build_dependencies', 'Builds, packages and dependency errors.', 'install package dependency npm pip build compile version'],
          ['git_ci', 'Git, CI and deployment.', 'git commit branch merge rebase ci pipeline deploy docker'],
        ],
      ],
    ],
  },
  'data-analytics': {
    title: 'Data / analytics assistant with tools',
    topics: [
      [
        'data_queries',
        'Questions answered from the data.',
        [
          ['metrics_lookup', 'A number or metric for a period.', 'how many total revenue count metric last month week'],
          ['filters_segments', 'Data for a segment, region or filter.', 'by region segment customers filter where top'],
          ['trends', 'How something changed over time.', 'trend over time growth compare change increase decrease'],
        ],
      ],
      [
        'calculations',
        'Computations on the data.',
        [
          ['aggregations', 'Sums, averages, ratios and percentages.', 'average sum ratio percentage mean median rate'],
          ['forecasts', 'Projections and forecasts.', 'forecast predict projection next quarter estimate'],
        ],
      ],
      [
        'reports_charts',
        'Reports, charts and dashboards.',
        [
          ['charts', 'Make or change a chart.', 'chart plot graph visualize bar line pie'],
          ['reports', 'Summaries and reports to share.', 'report summary summarize dashboard export weekly'],
        ],
      ],
      [
        'tool_usage',
        'Running tools: SQL, spreadsheets, APIs.',
        [
          ['sql_tools', 'Running or fixing queries.', 'sql query run table schema column'],
          ['files_spreadsheets', 'Uploaded files and spreadsheets.', 'csv excel spreadsheet file upload sheet'],
        ],
      ],
      ['data_quality', 'Missing, wrong or inconsistent data.', [['missing_wrong_data', 'Numbers that look wrong or are missing.', 'missing wrong incorrect duplicate null data quality mismatch']]],
    ],
  },
  'general-assistant': {
    title: 'General assistant',
    topics: [
      [
        'writing',
        'Writing and editing text.',
        [
          ['drafting', 'Write an email, post, letter or story.', 'write draft email letter post story essay'],
          ['editing', 'Rewrite, shorten, proofread or change tone.', 'rewrite edit proofread shorten tone grammar improve'],
          ['translation', 'Translate between languages.', 'translate translation spanish french german language'],
        ],
      ],
      [
        'knowledge',
        'Facts and explanations.',
        [
          ['facts', 'Factual questions.', 'who what when where fact history capital'],
          ['explanations', 'Explain how or why something works.', 'explain why how works understand simple'],
        ],
      ],
      [
        'planning',
        'Plans, schedules and decisions.',
        [
          ['travel', 'Trips, flights and itineraries.', 'trip travel flight hotel itinerary vacation'],
          ['productivity', 'Schedules, to-dos and reminders.', 'schedule plan todo reminder calendar organize'],
          ['recommendations', 'Suggestions and comparisons.', 'recommend suggest best compare which should choose'],
        ],
      ],
      [
        'analysis',
        'Reasoning over given material.',
        [
          ['summaries', 'Summarize a text or document.', 'summarize summary tldr key points document article'],
          ['math', 'Calculations and math problems.', 'calculate math equation solve number percent'],
        ],
      ],
      [
        'personal',
        'Health, money and everyday life.',
        [
          ['health_fitness', 'Health, food and exercise.', 'health diet recipe exercise workout sleep'],
          ['finance', 'Budgets and money questions.', 'budget money save invest loan tax'],
        ],
      ],
    ],
  },
};

export function templateNames(): { name: string; title: string }[] {
  return Object.entries(TEMPLATES).map(([name, template]) => ({ name, title: template.title }));
}

export function topicsFromTemplate(name: string): TopicsFile {
  const template = TEMPLATES[name];
  if (!template) throw new Error(`no template "${name}"; templates: ${Object.keys(TEMPLATES).join(', ')}`);
  return {
    version: 1,
    source: 'template',
    template: name,
    topics: template.topics.map(([topic, description, leaves]) => ({
      name: topic,
      description,
      children: leaves.map(([leaf, leafDescription, keywords]) => ({ name: leaf, description: leafDescription, keywords: keywords.split(' ') })),
    })),
  };
}
