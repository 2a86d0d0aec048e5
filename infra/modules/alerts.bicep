// The alerts that matter at ten on a sitting morning, on the bot's own metrics in Application
// Insights (bot/telemetry.py) and App Service's health check. DEPLOY.md, "Alerts", says what each
// means and what to do.
param location string
param tags object
param prefix string
param insightsId string
param siteId string

@description('Where alerts are e-mailed (the force\'s service desk); empty: alerts show in the portal only.')
param alertEmail string = ''

resource desk 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: '${prefix}-service-desk'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: take('${prefix}desk', 12)
    enabled: true
    emailReceivers: empty(alertEmail) ? [] : [
      {
        name: 'service-desk'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

var rules = [
  {
    name: 'deliveries-failing'
    severity: 1
    description: 'Messages Teams refused or failed to take (a SOO\'s call, a reminder, a card update); people without the app are on the chair\'s card, not here.'
    query: 'customMetrics | where name == "panel.deliveries.failed" | where tostring(customDimensions.reason) != "no_address" | summarize failed = sum(valueSum)'
    threshold: 0
  }
  {
    name: 'connector-errors'
    severity: 2
    description: 'Teams\' Bot Connector answering 5xx or 429 (throttling) more than a few times.'
    query: 'customMetrics | where name == "panel.connector.calls" | where tostring(customDimensions.status) in ("5xx", "429") | summarize failed = sum(valueSum)'
    threshold: 5
  }
  {
    name: 'store-unavailable'
    severity: 1
    description: 'Turns the store (Cosmos DB) could not serve.'
    query: 'customMetrics | where name == "panel.store.unavailable" | summarize failed = sum(valueSum)'
    threshold: 0
  }
  {
    name: 'reminders-stalled'
    severity: 2
    description: 'The reminder round has not finished for over 15 minutes.'
    query: 'customMetrics | where name == "panel.round.age" | where tostring(customDimensions.job) == "reminders" | summarize failed = max(valueMax)'
    threshold: 900
  }
]

resource logAlerts 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = [
  for rule in rules: {
    name: '${prefix}-${rule.name}'
    location: location
    tags: tags
    properties: {
      displayName: '${prefix}: ${rule.name}'
      description: rule.description
      severity: rule.severity
      enabled: true
      scopes: [
        insightsId
      ]
      evaluationFrequency: 'PT5M'
      windowSize: 'PT15M'
      criteria: {
        allOf: [
          {
            query: rule.query
            timeAggregation: 'Maximum'
            metricMeasureColumn: 'failed'
            operator: 'GreaterThan'
            threshold: rule.threshold
            failingPeriods: {
              numberOfEvaluationPeriods: 1
              minFailingPeriodsToAlert: 1
            }
          }
        ]
      }
      actions: {
        actionGroups: [
          desk.id
        ]
      }
    }
  }
]

resource unhealthy 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${prefix}-health-check-failing'
  location: 'global'
  tags: tags
  properties: {
    description: 'App Service\'s health check (/healthz) is failing: the bot or its store is down.'
    severity: 1
    enabled: true
    scopes: [
      siteId
    ]
    evaluationFrequency: 'PT1M'
    windowSize: 'PT5M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          name: 'health'
          criterionType: 'StaticThresholdCriterion'
          metricName: 'HealthCheckStatus'
          metricNamespace: 'Microsoft.Web/sites'
          operator: 'LessThan'
          threshold: 100
          timeAggregation: 'Average'
        }
      ]
    }
    actions: [
      {
        actionGroupId: desk.id
      }
    ]
  }
}
