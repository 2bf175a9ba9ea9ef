// English: names of the fields of each population type (rg.df.*), mirroring person-details.zh-CN.ts.
import type personDetailsZh from './person-details.zh-CN.ts';

const personDetailsEn: Record<keyof typeof personDetailsZh, string> = {
  'rg.df.householdNo': 'Household number',
  'rg.df.inflowReason': 'Reason for moving in',
  'rg.df.residenceType': 'Type of residence',
  'rg.df.registeredOn': 'Registered on',
  'rg.df.permitType': 'Permit type',
  'rg.df.permitNo': 'Permit number',
  'rg.df.permitExpiresOn': 'Permit expires on',
  'rg.df.originAddress': 'Address of origin',
  'rg.df.keyAttention': 'Key attention',
  'rg.df.foreignSurname': 'Surname (foreign script)',
  'rg.df.foreignGivenName': 'Given name (foreign script)',
  'rg.df.nationality': 'Nationality',
  'rg.df.visitPurpose': 'Purpose of stay',
  'rg.df.documentExpiresOn': 'Document expires on',
  'rg.df.arrivedOn': 'Arrived on',
  'rg.df.expectedDepartureOn': 'Expected to leave on',
  'rg.df.leftBehindType': 'Left-behind type',
  'rg.df.healthStatus': 'Health',
  'rg.df.annualIncome': 'Annual income',
  'rg.df.familyMemberName': 'Main family member',
  'rg.df.familyMemberPhone': "Main family member's phone",
  'rg.df.familyMemberRelation': 'Relation to the person',
  'rg.df.familyMemberWorkAddress': "Main family member's work address",
  'rg.df.difficulties': 'Difficulties and needs',
  'rg.df.assistance': 'Assistance given',
};
export default personDetailsEn;
