export { PeopleService, hashToken, assertPhone } from './people.service';
export type { LoginResult } from './people.service';
export type { AccountWithRoles, AccountRow } from './people.repo';
export { hashPassword, verifyPassword } from './password';
export { hasRole, requireActor, requireRole, isOperator } from './actor';
export type { Actor } from './actor';
export { ROLES } from './people.schema';
export type { Role } from './people.schema';
